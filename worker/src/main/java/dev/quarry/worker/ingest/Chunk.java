package dev.quarry.worker.ingest;

/** One piece of a document as stored: its position, text and size in word pieces (special tokens excluded). */
record Chunk(int ordinal, String text, int tokenCount) {
}
