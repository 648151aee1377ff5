package dev.quarry.jobs;

import java.util.UUID;

/**
 * Embed a client's texts: what to embed is the {@code embedding_batches} row whose id is {@code jobId}.
 * Enqueued by {@code dev.quarry.embedding.batch.EmbeddingBatches}.
 */
public record EmbedBatchJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.EMBED_BATCH;
    }

    @Override
    public Class<EmbedBatchHandler> getJobRequestHandler() {
        return EmbedBatchHandler.class;
    }
}
