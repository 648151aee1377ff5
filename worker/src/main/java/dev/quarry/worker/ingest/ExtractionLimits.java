package dev.quarry.worker.ingest;

import java.time.Duration;

/**
 * How much one document's extraction may produce and take. Together with Tika's
 * {@code SecureContentHandler} (compression ratio and nesting depth, which is what catches zip and XML
 * bombs) they keep a hostile upload from running the worker out of memory or time: each is a permanent
 * failure with its reason, never a crash.
 *
 * @param maxChars   characters of text, so memory is bounded whatever the file expands to; above the largest
 *                   upload, so that a 50 MB text file is read whole
 * @param timeout    wall-clock time of one parse, checked at each piece of text the parser emits
 * @param maxColumns columns in a CSV's first row: a million-column CSV is refused at once instead of taking
 *                   minutes of Tika's table building
 */
record ExtractionLimits(int maxChars, Duration timeout, int maxColumns) {
    static final ExtractionLimits DEFAULT = new ExtractionLimits(64_000_000, Duration.ofMinutes(2), 10_000);
}
