package dev.quarry.api.embeddings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quarry.embedding.batch.EmbeddingBatch;
import dev.quarry.jobs.Job;

import java.time.Instant;
import java.util.UUID;

/**
 * A batch in the shape of the embedding providers' batch objects (OpenAI's {@code batch}, with its snake_case
 * names, so a client written for one reads this one): {@code status}, {@code request_counts}, the times and
 * {@code output_file} once the results can be downloaded. Times are ISO instants, as everywhere in Quarry.
 * {@code job_status} is the job's own status and {@code events} its SSE stream.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BatchView(UUID id, String object, String model, String status, @JsonProperty("job_status") String jobStatus,
                 @JsonProperty("request_counts") Counts requestCounts, Long tokens,
                 @JsonProperty("created_at") Instant createdAt, @JsonProperty("in_progress_at") Instant inProgressAt,
                 @JsonProperty("completed_at") Instant completedAt, @JsonProperty("finished_at") Instant finishedAt,
                 @JsonProperty("expires_at") Instant expiresAt, @JsonProperty("output_file") String outputFile,
                 @JsonProperty("output_bytes") Long outputBytes, @JsonProperty("output_sha256") String outputSha256,
                 String events, String error) {

    record Counts(int total, int completed, int failed) {
    }

    static BatchView of(EmbeddingBatch batch, Job job, Instant now) {
        boolean expired = batch.expired(now);
        boolean downloadable = batch.complete() && !expired;
        String status = status(job, expired);
        int total = batch.itemCount();
        int completed = batch.complete() ? total : status.equals("failed") ? 0 : Math.min(job.progressDone(), total);
        int failed = status.equals("failed") ? total : 0;
        return new BatchView(batch.id(), "embedding_batch", batch.embeddingVersion(), status, job.status().name(),
                new Counts(total, completed, failed), batch.tokens(), batch.createdAt(), job.startedAt(),
                batch.completedAt(), job.finishedAt(), batch.expiresAt(),
                downloadable ? EmbeddingBatchIntake.PATH + "/" + batch.id() + "/results" : null,
                batch.sizeBytes(), batch.sha256(), "/api/v1/jobs/" + batch.id() + "/events", job.error());
    }

    /** The providers' status names: a whole batch fails or completes, never a line of it. */
    private static String status(Job job, boolean expired) {
        return switch (job.status()) {
            case QUEUED -> "queued";
            case RUNNING, RETRY_SCHEDULED -> "in_progress";
            case CANCEL_REQUESTED -> "cancelling";
            case CANCELLED -> "cancelled";
            case SUCCEEDED -> expired ? "expired" : "completed";
            case FAILED, DEAD_LETTERED -> "failed";
        };
    }
}
