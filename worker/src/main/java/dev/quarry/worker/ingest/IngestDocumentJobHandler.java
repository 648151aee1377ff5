package dev.quarry.worker.ingest;

import dev.quarry.jobs.DeadLetterCause;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.IngestDocumentHandler;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobRunrBridge;
import dev.quarry.worker.jobs.WorkerName;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs {@link IngestDocumentJob}s for JobRunr, which finds this bean by its {@link IngestDocumentHandler}
 * interface. Owns the job's lifecycle around the {@link IngestPipeline}: RUNNING at the start (also after a
 * crash: RUNNING to RUNNING is legal), SUCCEEDED with the chunk count at the end, and failures by
 * {@link FailureKind}: a permanent one dead-letters the job (and fails the document) and returns normally, so
 * nothing retries it; a transient one is rethrown, and QuarryRetryPolicy reschedules or dead-letters it.
 */
@Component
public class IngestDocumentJobHandler implements IngestDocumentHandler {
    private static final Logger log = LoggerFactory.getLogger(IngestDocumentJobHandler.class);

    private final IngestPipeline pipeline;
    private final PgJobStore jobs;
    private final JobLifecycle lifecycle;
    private final TransactionTemplate tx;
    private final IngestProperties properties;
    private final JobRunrBridge jobRunr;
    private final WorkerName worker;

    IngestDocumentJobHandler(IngestPipeline pipeline, PgJobStore jobs, JobLifecycle lifecycle,
                             TransactionTemplate tx, IngestProperties properties, JobRunrBridge jobRunr,
                             WorkerName worker) {
        this.worker = worker;
        this.jobRunr = jobRunr;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.tx = tx;
        this.properties = properties;
    }

    @Override
    public void run(IngestDocumentJob job) throws Exception {
        // The job's span and log fields (jobId, tenant, documentId) are set around every run by JobRunContext.
        if (start(job)) ingest(job);
    }

    private void ingest(IngestDocumentJob job) throws Exception {
        JobProgressLog progress = new JobProgressLog(job.jobId(), job.tenantId(), lifecycle, tx,
                properties.progressFlushInterval());
        progress.started();
        IngestRun run = new IngestRun(job);
        run.cancel = CancelSignal.of(() -> lifecycle.cancelRequested(job.jobId()));
        run.onStored = () -> lifecycle.succeed(job.jobId(), job.tenantId(),
                JobEventData.Succeeded.ingested(job.documentId(), run.chunkCount));
        try {
            pipeline.run(run, progress);
        } catch (IllegalTransitionException e) {
            // Rolled back with the chunks: someone else finished or cancelled the job meanwhile.
            log.info("job moved on to {} meanwhile; nothing stored", e.current());
            return;
        } catch (JobCancelledException e) {
            cancelled(job, progress, "cancel requested");
            return;
        } catch (Exception e) {
            if (interrupted(e)) {
                if (jobRunr.deleted(job.jobId())) {
                    cancelled(job, progress, "deleted in JobRunr");
                    return;
                }
                Thread.currentThread().interrupt(); // a shutdown: JobRunr needs to see it
            }
            failed(job, progress, e);
            return;
        }
        log.info("document ingested: {} chunks, scrubbed {}", run.chunkCount, run.scrubbed);
    }

    /**
     * Nothing the attempt did is half-stored (chunks are only ever written in the store step's single
     * transaction); what it committed before, the scrubbed text and cached embeddings, is valid for its
     * content and makes a later ingest of it cheaper.
     */
    private void cancelled(IngestDocumentJob job, JobProgressLog progress, String reason) {
        progress.commit(() -> {
            if (!lifecycle.cancelRequested(job.jobId())) {
                // JobRunr's delete: our status is still RUNNING, and the table goes through CANCEL_REQUESTED.
                lifecycle.requestCancel(job.jobId(), job.tenantId(), new JobEventData.CancelRequested(reason));
            }
            lifecycle.cancel(job.jobId(), job.tenantId(), new JobEventData.Cancelled(job.documentId(), reason, null));
        });
        log.info("ingest cancelled ({}); nothing stored", reason);
    }

    private static boolean interrupted(Exception e) {
        return Thread.interrupted() || FailureKind.unwrap(e) instanceof InterruptedException;
    }

    /** False when there is nothing to do: the job is finished, cancelled, or not this tenant's. */
    private boolean start(IngestDocumentJob job) {
        try {
            // The worker's name tells, after a crash, which process an attempt ran on.
            lifecycle.start(job.jobId(), job.tenantId(), new JobEventData.Started(job.documentId(), worker.value(), null));
            return true;
        } catch (IllegalTransitionException e) {
            if (e.current() == JobStatus.CANCEL_REQUESTED) {
                // Its worker died after the cancel request: finish the cancellation instead of the job.
                lifecycle.cancel(job.jobId(), job.tenantId(),
                        new JobEventData.Cancelled(job.documentId(), "cancel requested", null));
                return false;
            }
            log.info("job is {} already; nothing to do", e.current());
            return false;
        } catch (IllegalArgumentException e) {
            log.warn("no such job for this tenant; dropping it");
            return false;
        }
    }

    private void failed(IngestDocumentJob job, JobProgressLog progress, Exception failure) throws Exception {
        Throwable cause = FailureKind.unwrap(failure);
        switch (FailureKind.of(failure)) {
            case PERMANENT -> {
                // Straight to dead letters: another attempt cannot succeed, so none is burned.
                String error = cause.getMessage();
                progress.commit(() -> lifecycle.deadLetter(job.jobId(), job.tenantId(), new DeadLetterCause(
                        cause.getClass().getSimpleName(), error, rootCause(cause),
                        DeadLetterCause.Classification.PERMANENT, attempts(job))));
                log.warn("document cannot be ingested, dead-lettered: {}", error);
            }
            case TRANSIENT -> {
                // QuarryRetryPolicy reschedules it (RETRY_SCHEDULED, 'retrying') or dead-letters it.
                log.warn("ingest attempt failed, it will be retried: {}", cause.toString());
                throw failure;
            }
        }
    }

    private int attempts(IngestDocumentJob job) {
        return jobs.find(job.tenantId(), job.jobId()).map(dev.quarry.jobs.Job::attempts).orElse(1);
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == failure ? null : root.getClass().getName() + ": " + root.getMessage();
    }
}
