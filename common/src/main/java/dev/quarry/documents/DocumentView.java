package dev.quarry.documents;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A document's metadata and indexing status; never its bytes. {@code publishedAt} is null when not given;
 * {@code visibility} is {@code shared} or {@code private} ({@link DocumentVisibility}).
 */
public record DocumentView(UUID id, String title, String collection, String source, List<String> tags,
                           String reliability, String mediaType, String filename, long sizeBytes, String sha256,
                           DocumentStatus status, int chunkCount, Instant createdAt, Instant updatedAt,
                           Instant publishedAt, String visibility) {
}
