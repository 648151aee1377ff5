package dev.quarry.embedding;

/** The tag ({@code model@revision}) stored with every vector, and the dimensions of those vectors. */
public record EmbeddingVersion(String tag, int dimensions) {
}
