package dev.quarry.jobs;

import java.time.Instant;
import java.util.UUID;

/** A row of the {@code jobs} table: the public job resource. */
public record Job(
        UUID id,
        String tenantId,
        JobType type,
        JobStatus status,
        UUID documentId,
        String currentStep,
        int progressDone,
        int progressTotal,
        int attempts,
        String error,
        String idempotencyKey,
        String traceParent,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        /** Its place in the queue, 0 to 100, higher first ({@link JobPriority}). */
        int priority) {

    public int percent() {
        return progressTotal == 0 ? 0 : (int) Math.min(100, Math.round(100.0 * progressDone / progressTotal));
    }
}
