package dev.quarry.documents;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An accepted upload, as stored: validated metadata with defaults applied, the original bytes, and who uploaded
 * it (the token's {@code sub}) and who may see it.
 */
public record NewDocument(UUID id, String tenant, String uploadedBy, String title, String collection, String source, List<String> tags,
                          String reliability, String mediaType, String filename, byte[] content, String sha256,
                          Instant publishedAt, DocumentVisibility visibility) {
}
