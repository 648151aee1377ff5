package dev.quarry.jobs;

import java.util.UUID;

/** What the API records when it accepts a submission; {@code priority} orders it in the queue ({@link JobPriority}). */
public record NewJob(UUID id, String tenantId, JobType type, UUID documentId, String idempotencyKey,
                     String traceParent, int priority) {
    public NewJob {
        JobPriority.checked(priority);
    }

    /** A job at its type's default priority. */
    public NewJob(UUID id, String tenantId, JobType type, UUID documentId, String idempotencyKey, String traceParent) {
        this(id, tenantId, type, documentId, idempotencyKey, traceParent, type.defaultPriority());
    }
}
