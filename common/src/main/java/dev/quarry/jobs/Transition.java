package dev.quarry.jobs;

import dev.quarry.events.JobEventType;

import java.util.Set;

/**
 * The named status changes of {@link JobLifecycle}: each has one target status and one event type, and may
 * start from the statuses {@link JobStatus}'s table allows for its target (the table stays the only place
 * that says which moves are legal).
 */
enum Transition {
    START(JobStatus.RUNNING, JobEventType.STARTED),
    SUCCEED(JobStatus.SUCCEEDED, JobEventType.SUCCEEDED),
    SCHEDULE_RETRY(JobStatus.RETRY_SCHEDULED, JobEventType.RETRYING),
    FAIL(JobStatus.FAILED, JobEventType.FAILED),
    DEAD_LETTER(JobStatus.DEAD_LETTERED, JobEventType.DEAD_LETTERED),
    REQUEST_CANCEL(JobStatus.CANCEL_REQUESTED, JobEventType.CANCEL_REQUESTED),
    CANCEL(JobStatus.CANCELLED, JobEventType.CANCELLED),
    REQUEUE(JobStatus.QUEUED, JobEventType.QUEUED);

    private final JobStatus target;
    private final JobEventType event;

    Transition(JobStatus target, JobEventType event) {
        this.target = target;
        this.event = event;
    }

    JobStatus target() {
        return target;
    }

    JobEventType event() {
        return event;
    }

    Set<JobStatus> sources() {
        return JobStatus.allowedSources(target);
    }
}
