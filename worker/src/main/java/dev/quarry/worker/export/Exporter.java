package dev.quarry.worker.export;

import dev.quarry.exports.ExportFormat;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The exporter port: one implementation (a Spring bean) per {@link ExportFormat}. A new format is a new
 * constant there and one class here. The export job opens a writer on the file's stream, writes the scope's
 * documents to it one by one in id order, and closes it to finish the file. A writer must stream: it may
 * keep a bounded amount per document in memory, never the export (spill to a temporary file if the format
 * needs something only known at the end).
 * <p>
 * Failures: an {@link IOException} or a runtime exception fails the attempt, and the job is retried on
 * Quarry's schedule from the start with an empty file.
 */
public interface Exporter {

    ExportFormat format();

    /** Whether documents must come with their original bytes; reading them costs, so only the ZIP does. */
    default boolean needsContent() {
        return false;
    }

    /** Starts the file on {@code out}; the writer never closes {@code out}. */
    Writer open(OutputStream out, ExportContext context) throws IOException;

    /** One file being written. */
    interface Writer extends AutoCloseable {
        void write(ExportedDocument document) throws IOException;

        /** Writes what ends the file (a closing bracket, a manifest, the PDF's trailer). */
        @Override
        void close() throws IOException;
    }
}
