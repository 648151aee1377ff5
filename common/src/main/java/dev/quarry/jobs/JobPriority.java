package dev.quarry.jobs;

/**
 * A job's place in the queue: 0 to 100, higher first. The releaser ({@link JobReleaser}) takes waiting jobs
 * by priority before anything else, so a job type's default ({@link JobType#defaultPriority()}) is what
 * keeps an interactive upload ahead of a bulk re-ingest, a reindex or an export. A request may ask for
 * another priority; who may ask for what is the API's rule (a user may lower its job, not raise it).
 */
public final class JobPriority {
    public static final int MIN = 0;
    public static final int MAX = 100;
    /** A bulk re-ingest: behind single uploads, ahead of reindex and exports. */
    public static final int BULK_INGEST = 60;

    private JobPriority() {
    }

    /** @throws IllegalArgumentException if {@code priority} is outside 0 to 100 */
    public static int checked(int priority) {
        if (priority < MIN || priority > MAX) {
            throw new IllegalArgumentException("a priority is " + MIN + " to " + MAX + ", not " + priority);
        }
        return priority;
    }
}
