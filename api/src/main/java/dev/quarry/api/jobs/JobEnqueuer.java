package dev.quarry.api.jobs;

import dev.quarry.jobs.PgJobStore;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.UUID;

/**
 * Hands jobs to JobRunr. JobRunr OSS cannot join a Spring transaction, so the {@code jobs} row is the
 * outbox: it commits with the request's other effects, JobRunr gets the job after commit, and
 * {@code enqueued_at} records the hand-over. If the hand-over fails or the process dies first,
 * {@link JobOutboxSweeper} completes it; JobRunr skips an id it already holds, so a double hand-over
 * is harmless.
 */
@Component
public class JobEnqueuer {
    private static final Logger log = LoggerFactory.getLogger(JobEnqueuer.class);
    private final JobRequestScheduler jobRunr;
    private final PgJobStore jobs;

    JobEnqueuer(JobRequestScheduler jobRunr, PgJobStore jobs) {
        this.jobRunr = jobRunr;
        this.jobs = jobs;
    }

    /** Call inside the transaction that created the job row; nothing reaches JobRunr if it rolls back. */
    public void enqueueAfterCommit(UUID jobId, JobRequest request) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("enqueueAfterCommit needs the transaction that created job " + jobId);
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                enqueue(jobId, request);
            }
        });
    }

    /** Never throws: a failure leaves the job for the sweeper. */
    boolean enqueue(UUID jobId, JobRequest request) {
        try {
            save(jobId, request);
            jobs.markEnqueued(jobId);
            return true;
        } catch (RuntimeException e) {
            log.warn("job {} not handed to JobRunr yet, the outbox sweeper will retry: {}", jobId, e.toString());
            return false;
        }
    }

    private void save(UUID jobId, JobRequest request) {
        try {
            jobRunr.enqueue(jobId, request);
        } catch (ConcurrentJobModificationException alreadyThere) {
            log.debug("job {} was already handed to JobRunr", jobId);
        }
    }
}
