package dev.quarry.embedding;

/** A tag that names no version this deployment can embed with (unknown model, or its provider unconfigured). */
public class UnknownEmbeddingVersionException extends RuntimeException {
    public UnknownEmbeddingVersionException(String message) {
        super(message);
    }
}
