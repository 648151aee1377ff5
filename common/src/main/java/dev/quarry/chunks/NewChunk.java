package dev.quarry.chunks;

/**
 * A chunk to store: its position in the document, its text, its size in word pieces, the path of headings it
 * sits under ({@code Guide > Install > Linux}, null where the document has none) and its vector.
 */
public record NewChunk(int ordinal, String text, int tokenCount, String sectionPath, float[] vector) {
}
