package dev.quarry.embedding.batch;

import java.util.List;

/**
 * What the API accepted: the texts, checked (ids unique, texts not blank, within the limits), in the tenant's
 * active {@code version}; {@code priority} orders the job in the queue.
 */
public record EmbeddingBatchRequest(String tenantId, String version, List<BatchItem> items, String requestedBy,
                                    String idempotencyKey, String traceParent, int priority) {
}
