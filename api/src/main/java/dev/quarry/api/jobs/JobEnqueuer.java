package dev.quarry.api.jobs;

import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.ReindexDocumentJob;
import dev.quarry.jobs.ReindexJob;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
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
 * {@link JobOutboxSweeper} completes it; an id JobRunr already runs is left alone, so a double hand-over
 * is harmless. A requeued job (dead-lettered, then sent back by an operator) finds its previous, finished
 * run still under its id in JobRunr: that run is replaced by a fresh one, whose retry count starts at 0.
 */
@Component
public class JobEnqueuer {
    private static final Logger log = LoggerFactory.getLogger(JobEnqueuer.class);
    private final JobRequestScheduler jobRunr;
    private final StorageProvider jobRunrStorage;
    private final PgJobStore jobs;

    JobEnqueuer(JobRequestScheduler jobRunr, StorageProvider jobRunrStorage, PgJobStore jobs) {
        this.jobRunr = jobRunr;
        this.jobRunrStorage = jobRunrStorage;
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
        // JobRunr silently skips an id it holds, even a finished run: look first, and replace a finished run
        // (a requeued job) so the job really runs again.
        try {
            org.jobrunr.jobs.Job previous = jobRunrStorage.getJobById(jobId);
            if (!previous.hasState(StateName.FAILED) && !previous.hasState(StateName.DELETED)
                    && !previous.hasState(StateName.SUCCEEDED)) {
                log.debug("job {} was already handed to JobRunr", jobId);
                return;
            }
            jobRunrStorage.deletePermanently(jobId);
        } catch (JobNotFoundException firstHandOver) {
            // the usual case
        }
        // No JobRunr retries: Quarry's own policy (in the worker) schedules retries and dead letters.
        jobRunr.create(JobBuilder.aJob().withId(jobId).withJobRequest(request).withAmountOfRetries(0)
                .withName(request.getClass().getSimpleName() + " " + jobId));
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

    /** The JobRunr request that runs one of our jobs. */
    public static JobRequest requestFor(Job job) {
        return switch (job.type()) {
            case INGEST -> new IngestDocumentJob(job.id(), job.documentId(), job.tenantId());
            case REINDEX -> new ReindexJob(job.id(), job.tenantId());
            case REINDEX_DOCUMENT -> new ReindexDocumentJob(job.id(), job.tenantId());
        };
    }
}
