package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.UUID;

/**
 * Hands jobs of every family to JobRunr, in the API and in the worker alike. JobRunr OSS cannot join a Spring
 * transaction, so the {@code jobs} row is the outbox: it commits with the request's other effects, JobRunr
 * gets the job after commit, and {@code enqueued_at} records the hand-over. If the hand-over fails or the
 * process dies first, {@link JobOutboxSweeper} (running in every process) completes it.
 */
@Component
public class JobDispatcher {
    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);
    private final JobRunrBridge jobRunr;
    private final PgJobStore jobs;
    private final PgJobWakeUp wakeUp;

    JobDispatcher(JobRunrBridge jobRunr, PgJobStore jobs, PgJobWakeUp wakeUp) {
        this.jobRunr = jobRunr;
        this.jobs = jobs;
        this.wakeUp = wakeUp;
    }

    /** Call inside the transaction that created (or requeued) the job row; nothing reaches JobRunr if it rolls back. */
    public void dispatchAfterCommit(UUID jobId, JobRequest request) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("dispatchAfterCommit needs the transaction that created job " + jobId);
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                dispatch(jobId, request);
            }
        });
    }

    /** {@link #dispatchAfterCommit(UUID, JobRequest)} with the request its type registers. */
    public void dispatchAfterCommit(Job job) {
        dispatchAfterCommit(job.id(), job.type().requestFor(job));
    }

    /**
     * For a job row that is committed already. Never throws: a failure leaves the job for the sweeper. Once
     * JobRunr holds the job, the workers are woken so that a free one starts it now, not at its next poll.
     */
    public boolean dispatch(UUID jobId, JobRequest request) {
        try {
            jobRunr.create(jobId, request);
            jobs.markEnqueued(jobId);
            wakeUp.ring();
            return true;
        } catch (RuntimeException e) {
            log.warn("job {} not handed to JobRunr yet, the outbox sweeper will retry: {}", jobId, e.toString());
            return false;
        }
    }

    /** Takes a queued job out of JobRunr, so no worker starts it (cancellation before it ran). */
    public void withdraw(UUID jobId) {
        try {
            jobRunr.delete(jobId);
        } catch (RuntimeException e) {
            // Not there yet (the outbox will see the job is terminal) or already gone: nothing to run.
            log.debug("job {} not withdrawn from JobRunr: {}", jobId, e.toString());
        }
    }
}
