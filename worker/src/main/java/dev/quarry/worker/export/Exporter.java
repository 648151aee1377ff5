package dev.quarry.worker.export;

import dev.quarry.exports.ExportFormat;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The exporter port: one implementation (a Spring bean) per {@link ExportFormat}. A new format is a new
 * constant there and one class here. The export job opens a writer on the file's stream, writes the scope's
 * documents to it one by one in id order, and closes it to finish the file. Conversations come through the
 * same port: a format that {@linkplain ExportFormat#conversations() holds them} has an exporter that
 * {@linkplain #writesConversations() writes them}, with {@link #openConversations}. A writer must stream: it may
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

    /** Whether {@link #openConversations} writes a file of conversations; the worker checks it against the format. */
    default boolean writesConversations() {
        return false;
    }

    /** Starts a file of conversations on {@code out}; the writer never closes {@code out}. */
    default ConversationWriter openConversations(OutputStream out, ExportContext context) throws IOException {
        throw new UnsupportedOperationException(format() + " holds no conversations");
    }

    /** A file of conversations being written: a thread, then its messages oldest first, then the next thread. */
    interface ConversationWriter extends AutoCloseable {
        void thread(ExportedConversation thread) throws IOException;

        /** A message of the thread written last. */
        void message(ExportedConversation.Message message) throws IOException;

        /** Ends the last thread and the file. */
        @Override
        void close() throws IOException;
    }

    /** One file being written. */
    interface Writer extends AutoCloseable {
        void write(ExportedDocument document) throws IOException;

        /** Writes what ends the file (a closing bracket, a manifest, the PDF's trailer). */
        @Override
        void close() throws IOException;
    }
}
