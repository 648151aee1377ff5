package dev.quarry.exports;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code exports}. {@code filename}, {@code sizeBytes}, {@code sha256} and {@code documents} are set
 * once the file is complete ({@link #complete()}).
 */
public record Export(UUID id, String tenantId, ExportFormat format, ExportScope scope, boolean includeVectors,
                     String requestedBy, String filename, String contentType, Long sizeBytes, String sha256,
                     Integer documents, int partSize, Instant createdAt, Instant completedAt, Instant expiresAt) {

    public boolean complete() {
        return completedAt != null;
    }

    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
