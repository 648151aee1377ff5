package dev.quarry.chunks;

/** A chunk to store: its position in the document, its text, its size in word pieces and its vector. */
public record NewChunk(int ordinal, String text, int tokenCount, float[] vector) {
}
