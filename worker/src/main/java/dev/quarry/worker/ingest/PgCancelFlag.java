package dev.quarry.worker.ingest;

import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.util.UUID;

/**
 * Where a running job learns that it should stop. Quarry's own flag is the job's CANCEL_REQUESTED status,
 * read by primary key (see {@link CancelSignal} for how often). JobRunr's own mechanism, deleting the
 * running job (e.g. in its dashboard), interrupts the job's thread at JobRunr's next poll; the handler asks
 * {@link #deletedInJobRunr} to tell that interruption from a shutdown.
 */
@Repository
class PgCancelFlag {
    /** Bounds how late a cancellation is noticed between batches; a lookup costs well under a millisecond. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(200);

    private final JdbcClient jdbc;
    private final StorageProvider jobRunr;

    PgCancelFlag(JdbcClient jdbc, StorageProvider jobRunr) {
        this.jdbc = jdbc;
        this.jobRunr = jobRunr;
    }

    CancelSignal signalFor(UUID jobId) {
        return new CancelSignal(() -> requested(jobId), CHECK_INTERVAL.toNanos());
    }

    boolean requested(UUID jobId) {
        return jdbc.sql("select status = 'CANCEL_REQUESTED' from jobs where id = ?").param(jobId)
                .query(Boolean.class).optional().orElse(false);
    }

    boolean deletedInJobRunr(UUID jobId) {
        try {
            return jobRunr.getJobById(jobId).hasState(StateName.DELETED);
        } catch (JobNotFoundException e) {
            return true;
        }
    }
}
