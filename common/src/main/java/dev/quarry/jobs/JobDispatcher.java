package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.UUID;

/**
 * Puts jobs of every family in the queue, in the API and in the worker alike. JobRunr OSS cannot join a
 * Spring transaction, so the {@code jobs} row is the outbox and the queue: it commits with the request's
 * other effects, and after commit {@link JobReleaser} hands it to JobRunr when its turn comes (priority, fair
 * share, its type's limit); {@code enqueued_at} records the hand-over. If the process dies first, the release
 * of any other process, or {@link JobOutboxSweeper}'s, completes it.
 */
@Component
public class JobDispatcher {
    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);
    private final JobRunrBridge jobRunr;
    private final PgJobStore jobs;
    private final PgJobWakeUp wakeUp;
    private final JobReleaser releaser;

    JobDispatcher(JobRunrBridge jobRunr, PgJobStore jobs, PgJobWakeUp wakeUp, JobReleaser releaser) {
        this.jobRunr = jobRunr;
        this.jobs = jobs;
        this.wakeUp = wakeUp;
        this.releaser = releaser;
    }

    /**
     * Call inside the transaction that created (or requeued) the job row; nothing reaches JobRunr if it rolls
     * back. A release runs in this transaction if no other one is running ({@link JobReleaser#releaseWithin()}),
     * else after commit; either hands the job over at once if it is next and there is room, with the request
     * its type builds from the row ({@link JobType#requestFor}).
     */
    public void dispatchAfterCommit(UUID jobId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("dispatchAfterCommit needs the transaction that created job " + jobId);
        }
        releaser.releaseWithin();
    }

    /** {@link #dispatchAfterCommit(UUID)} of a job just created or requeued. */
    public void dispatchAfterCommit(Job job) {
        dispatchAfterCommit(job.id());
    }

    /**
     * Hands a committed job to JobRunr now, past the queue: only for the children of a running parent that
     * bounds them itself (a reindex's per-document jobs, at most {@code quarry.reindex.max-in-flight}), which
     * must not wait behind other work while their parent holds a thread and times them. Never throws: a
     * failure leaves the job to the releaser. Once JobRunr holds the job, the workers are woken.
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
