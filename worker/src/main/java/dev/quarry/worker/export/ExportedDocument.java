package dev.quarry.worker.export;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One document as exporters see it: its metadata, its scrubbed text ({@code null} if it was never ingested),
 * its chunks of the tenant's active embedding version, and its original bytes only for an exporter that
 * {@linkplain Exporter#needsContent() asks for them}.
 */
public record ExportedDocument(UUID id, String title, String collection, String source, List<String> tags,
                               String reliability, String mediaType, String filename, long sizeBytes,
                               String contentSha256, String status, Instant createdAt, String uploadedBy,
                               String text, List<ExportedChunk> chunks, byte[] content) {

    /** A name for the original file that is safe inside an archive: no directories, never empty. */
    public String safeFilename() {
        String name = filename == null || filename.isBlank() ? "document" : filename;
        return name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_");
    }

    /** The text, or an empty string for a document that has none yet. */
    public String textOrEmpty() {
        return text == null ? "" : text;
    }

    /**
     * A chunk; {@code vector} is pgvector's text form ({@code [0.1,0.2,...]}, which is also a JSON array), only
     * when the export includes vectors.
     */
    public record ExportedChunk(int ordinal, String text, int tokenCount, String embeddingVersion, String vector) {
    }
}
