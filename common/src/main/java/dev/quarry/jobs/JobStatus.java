package dev.quarry.jobs;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The public lifecycle of a job. Every status change goes through {@link #canMoveTo}: the table below is
 * the single source of truth, and {@link JobLifecycle} refuses any move it does not list. The status sets
 * ({@link #TERMINAL}, {@link #ACTIVE}, {@link #WAITING}) are defined here once; SQL gets them from
 * {@link #sql}, and the copies the schema must hold itself (the CHECK on {@code jobs.status}, a partial index,
 * a function) are compared with them by {@code JobStatusSchemaIT}.
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

    /** Finished: no worker will touch the job again unless an operator requeues it. */
    public static final Set<JobStatus> TERMINAL =
            Collections.unmodifiableSet(EnumSet.of(SUCCEEDED, FAILED, CANCELLED, DEAD_LETTERED));
    /** Not finished: waiting, running, or stopping. */
    public static final Set<JobStatus> ACTIVE = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.copyOf(TERMINAL)));
    /** Waiting for a worker: what backpressure counts. */
    public static final Set<JobStatus> WAITING = Collections.unmodifiableSet(EnumSet.of(QUEUED, RETRY_SCHEDULED));

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
        return TERMINAL.contains(this);
    }

    /**
     * A set as an SQL list of literals, e.g. {@code 'QUEUED', 'RETRY_SCHEDULED'}, for {@code status in (...)}.
     * The names are the enum's own, so nothing needs escaping.
     */
    public static String sql(Set<JobStatus> statuses) {
        return statuses.stream().sorted().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }
}
