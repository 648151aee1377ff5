package dev.quarry.jobs;

import java.util.UUID;

/**
 * Published (a Spring application event) inside the transaction that dead-letters a job, so that the owner of
 * what the job worked on can record the failure atomically with it: the documents feature marks an ingest
 * job's document FAILED. A listener that throws rolls the dead letter back.
 */
public record JobDeadLettered(UUID jobId, String tenantId, JobType type, UUID documentId) {
}
