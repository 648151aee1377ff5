package dev.quarry.api.jobs;

import dev.quarry.jobs.Job;
import dev.quarry.jobs.QueuePosition;

import java.time.Instant;
import java.util.UUID;

/** {@code GET /api/v1/jobs/{id}}; {@code queue} only while the job is QUEUED. */
record JobView(UUID id, String type, String status, int priority, UUID documentId, String currentStep, Progress progress,
               int attempts, String error, Instant createdAt, Instant updatedAt, Instant startedAt,
               Instant finishedAt, QueuePosition queue) {

    record Progress(int done, int total, int percent) {
    }

    static JobView of(Job job) {
        return of(job, null);
    }

    static JobView of(Job job, QueuePosition queue) {
        return new JobView(job.id(), job.type().tag(), job.status().name(), job.priority(), job.documentId(), job.currentStep(),
                new Progress(job.progressDone(), job.progressTotal(), job.percent()), job.attempts(), job.error(),
                job.createdAt(), job.updatedAt(), job.startedAt(), job.finishedAt(), queue);
    }
}
