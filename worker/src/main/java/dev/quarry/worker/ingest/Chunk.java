package dev.quarry.worker.ingest;

/**
 * One piece of a document as stored: its position, text, size in word pieces (special tokens excluded) and
 * the path of headings it sits under ({@code Guide > Install > Linux}), null where the format has none.
 */
record Chunk(int ordinal, String text, int tokenCount, String sectionPath) {

    Chunk(int ordinal, String text, int tokenCount) {
        this(ordinal, text, tokenCount, null);
    }
}
