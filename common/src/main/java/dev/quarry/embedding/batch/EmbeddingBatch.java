package dev.quarry.embedding.batch;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code embedding_batches} without its texts. {@code sizeBytes}, {@code sha256} and {@code tokens}
 * are set once the results are complete ({@link #complete()}).
 */
public record EmbeddingBatch(UUID id, String tenantId, String embeddingVersion, String requestedBy, int itemCount,
                             Long tokens, Long sizeBytes, String sha256, int partSize, boolean purged,
                             Instant createdAt, Instant completedAt, Instant expiresAt) {

    public boolean complete() {
        return completedAt != null;
    }

    /** Whether the results are gone or past their time (the sweep may not have run yet). */
    public boolean expired(Instant now) {
        return purged || !expiresAt.isAfter(now);
    }

    public String filename() {
        return "embeddings-" + id + ".jsonl";
    }
}
