package dev.quarry.worker.ingest;

import dev.quarry.events.JobEventType;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.IngestDocumentHandler;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.PgJobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;

/**
 * Runs {@link IngestDocumentJob}s for JobRunr, which finds this bean by its {@link IngestDocumentHandler}
 * interface. Owns the job's lifecycle around the {@link IngestPipeline}: RUNNING at the start (also after a
 * crash: RUNNING to RUNNING is legal), SUCCEEDED with the chunk count at the end, and failures by
 * {@link FailureKind}: a permanent one fails the job and the document and returns normally, so JobRunr does
 * not retry; a transient one marks the job RETRY_SCHEDULED and is rethrown for JobRunr's retry.
 */
@Component
public class IngestDocumentJobHandler implements IngestDocumentHandler {
    private static final Logger log = LoggerFactory.getLogger(IngestDocumentJobHandler.class);

    private final IngestPipeline pipeline;
    private final PgJobStore jobs;
    private final PgDocumentStore documents;
    private final ProgressWriter progressWriter;
    private final TransactionTemplate tx;
    private final IngestProperties properties;
    private final Map<JobStatus, Counter> completed;

    IngestDocumentJobHandler(IngestPipeline pipeline, PgJobStore jobs, PgDocumentStore documents,
                             ProgressWriter progressWriter, TransactionTemplate tx, IngestProperties properties,
                             MeterRegistry meters) {
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.documents = documents;
        this.progressWriter = progressWriter;
        this.tx = tx;
        this.properties = properties;
        this.completed = Map.of(
                JobStatus.SUCCEEDED, completedCounter(meters, JobStatus.SUCCEEDED),
                JobStatus.FAILED, completedCounter(meters, JobStatus.FAILED),
                JobStatus.RETRY_SCHEDULED, completedCounter(meters, JobStatus.RETRY_SCHEDULED));
    }

    @Override
    public void run(IngestDocumentJob job) throws Exception {
        MDC.put("jobId", job.jobId().toString());
        MDC.put("tenant", job.tenantId());
        MDC.put("documentId", job.documentId().toString());
        try {
            if (start(job)) ingest(job);
        } finally {
            MDC.remove("jobId");
            MDC.remove("tenant");
            MDC.remove("documentId");
        }
    }

    private void ingest(IngestDocumentJob job) throws Exception {
        JobProgressLog progress = new JobProgressLog(job.jobId(), job.tenantId(), progressWriter, tx,
                properties.progressFlushInterval());
        progress.started();
        IngestRun run = new IngestRun(job);
        run.onStored = () -> jobs.transition(job.jobId(), job.tenantId(), JobStatus.SUCCEEDED, JobEventType.SUCCEEDED,
                Map.of("documentId", job.documentId().toString(), "chunkCount", run.chunks.size()), null);
        try {
            pipeline.run(run, progress);
        } catch (IllegalTransitionException e) {
            // Rolled back with the chunks: someone else finished or cancelled the job meanwhile.
            log.info("job moved on to {} meanwhile; nothing stored", e.current());
            return;
        } catch (Exception e) {
            failed(job, progress, e);
            return;
        }
        count(JobStatus.SUCCEEDED);
        log.info("document ingested: {} chunks, scrubbed {}", run.chunks.size(), run.scrubbed);
    }

    /** False when there is nothing to do: the job is finished, cancelled, or not this tenant's. */
    private boolean start(IngestDocumentJob job) {
        try {
            jobs.transition(job.jobId(), job.tenantId(), JobStatus.RUNNING, JobEventType.STARTED,
                    Map.of("documentId", job.documentId().toString()), null);
            return true;
        } catch (IllegalTransitionException e) {
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
                String error = cause.getMessage();
                progress.commit(() -> {
                    documents.markFailed(job.tenantId(), job.documentId());
                    jobs.transition(job.jobId(), job.tenantId(), JobStatus.FAILED, JobEventType.FAILED,
                            Map.of("documentId", job.documentId().toString()), error);
                });
                count(JobStatus.FAILED);
                log.warn("document cannot be ingested: {}", error);
            }
            case TRANSIENT -> {
                log.warn("ingest attempt failed, JobRunr will retry it: {}", cause.toString());
                count(JobStatus.RETRY_SCHEDULED);
                markRetrying(job, progress, cause);
                throw failure;
            }
        }
    }

    /** Best effort: when the database is what failed, this fails too, and the job simply stays RUNNING. */
    private void markRetrying(IngestDocumentJob job, JobProgressLog progress, Throwable cause) {
        try {
            progress.commit(() -> jobs.transition(job.jobId(), job.tenantId(), JobStatus.RETRY_SCHEDULED,
                    JobEventType.RETRYING, Map.of("documentId", job.documentId().toString()), cause.toString()));
        } catch (RuntimeException e) {
            log.warn("could not record the retry: {}", e.toString());
        }
    }

    private void count(JobStatus status) {
        completed.get(status).increment();
    }

    private static Counter completedCounter(MeterRegistry meters, JobStatus status) {
        return Counter.builder("quarry.jobs.completed")
                .description("Job attempts finished, by outcome")
                .tag("type", JobType.INGEST.tag())
                .tag("status", status.name().toLowerCase())
                .register(meters);
    }
}
