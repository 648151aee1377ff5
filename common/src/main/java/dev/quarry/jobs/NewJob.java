package dev.quarry.jobs;

import java.util.UUID;

/** What the API records when it accepts a submission. */
public record NewJob(UUID id, String tenantId, JobType type, UUID documentId, String idempotencyKey,
                     String traceParent) {
}
