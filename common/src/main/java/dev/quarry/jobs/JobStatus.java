package dev.quarry.jobs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The public lifecycle of a job. Every status change goes through {@link #canMoveTo}: the table below is
 * the single source of truth, and {@code PgJobStore} refuses any move it does not list.
 */
public enum JobStatus {
    QUEUED, RUNNING, RETRY_SCHEDULED, SUCCEEDED, FAILED, CANCEL_REQUESTED, CANCELLED, DEAD_LETTERED;

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED, DEAD_LETTERED, FAILED),
            // RUNNING -> RUNNING: a worker died mid-job and another picked it up again.
            RUNNING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, RETRY_SCHEDULED, CANCEL_REQUESTED, DEAD_LETTERED),
            RETRY_SCHEDULED, EnumSet.of(RUNNING, CANCELLED, DEAD_LETTERED),
            CANCEL_REQUESTED, EnumSet.of(CANCELLED, SUCCEEDED, FAILED, DEAD_LETTERED),
            // A dead-lettered or failed job may be requeued by an operator: a fresh attempt cycle.
            DEAD_LETTERED, EnumSet.of(QUEUED),
            FAILED, EnumSet.of(QUEUED),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    public boolean canMoveTo(JobStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The statuses a job may move to {@code next} from; used to guard updates in SQL. */
    public static Set<JobStatus> allowedSources(JobStatus next) {
        Set<JobStatus> sources = EnumSet.noneOf(JobStatus.class);
        ALLOWED.forEach((from, targets) -> {
            if (targets.contains(next)) sources.add(from);
        });
        return sources;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == CANCELLED || this == DEAD_LETTERED || this == FAILED;
    }
}
