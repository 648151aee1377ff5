package dev.quarry.embedding.batch;

/** One text of a batch and the caller's id for it, which its result line carries. */
public record BatchItem(String id, String text) {
}
