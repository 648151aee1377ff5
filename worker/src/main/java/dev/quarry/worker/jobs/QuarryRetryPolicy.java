package dev.quarry.worker.jobs;

import dev.quarry.events.JobEventType;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.ReindexJob;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quarry's retry policy, in place of JobRunr's (jobs are created with 0 JobRunr retries). Runs when JobRunr
 * elects FAILED for a run, whether the handler threw or the run was orphaned by a dead worker. A transient
 * failure with retries left is rescheduled on the job type's {@link RetrySchedule} and recorded as
 * RETRY_SCHEDULED with a {@code retrying} event; otherwise the job is dead-lettered. Permanent failures
 * never get here: the handler dead-letters them itself without throwing.
 */
@Component
class QuarryRetryPolicy implements ElectStateFilter {
    private static final Logger log = LoggerFactory.getLogger(QuarryRetryPolicy.class);
    /** When even the dead-letter write fails (the database is down), try the whole decision again later. */
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(30);
    private final PgJobStore jobs;
    private final PgDeadLetterStore deadLetters;
    private final RetryProperties properties;

    QuarryRetryPolicy(PgJobStore jobs, PgDeadLetterStore deadLetters, RetryProperties properties) {
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.properties = properties;
    }

    @Override
    public void onStateElection(Job job, JobState newState) {
        if (!(newState instanceof FailedState failed)) return;
        Retried request = Retried.of(job.getJobDetails().getJobParameterValues()[0]);
        if (request == null) return;
        int failures = (int) job.getJobStates().stream().filter(FailedState.class::isInstance).count();
        RetrySchedule schedule = properties.forType(request.type().tag());
        if (!failed.mustNotRetry() && failures <= schedule.retries()) {
            Instant next = Instant.now().plus(schedule.delayBefore(failures));
            job.scheduleAt(next, "Retry " + failures + " of " + schedule.retries());
            recordRetry(request, failures, next, failed);
            return;
        }
        try {
            deadLetters.deadLetter(request.jobId(), request.tenantId(), errorClass(failed), failed.getExceptionMessage(),
                    rootCause(failed), PgDeadLetterStore.Classification.RETRIES_EXHAUSTED, failures);
        } catch (RuntimeException e) {
            log.warn("job {} not dead-lettered yet ({}); deciding again in {}", request.jobId(), e, DEAD_LETTER_RETRY);
            job.scheduleAt(Instant.now().plus(DEAD_LETTER_RETRY), "Dead-letter pending");
        }
    }

    /** Best effort: when the database is what failed, the job stays RUNNING and the next run moves it on. */
    private void recordRetry(Retried request, int attempt, Instant next, FailedState failed) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("attempt", attempt);
        data.put("nextRunAt", next.toString());
        data.put("errorClass", errorClass(failed));
        try {
            jobs.transition(request.jobId(), request.tenantId(), JobStatus.RETRY_SCHEDULED, JobEventType.RETRYING,
                    data, failed.getExceptionMessage());
        } catch (RuntimeException e) {
            log.warn("retry {} of job {} not recorded: {}", attempt, request.jobId(), e.toString());
        }
    }

    /**
     * The jobs this policy retries: ingestion, and a reindex's parent job (which resumes where the covered
     * documents show it was). Per-document reindex jobs are retried by their parent instead.
     */
    private record Retried(java.util.UUID jobId, String tenantId, JobType type) {
        static Retried of(Object request) {
            if (request instanceof IngestDocumentJob ingest) {
                return new Retried(ingest.jobId(), ingest.tenantId(), JobType.INGEST);
            }
            if (request instanceof ReindexJob reindex) {
                return new Retried(reindex.jobId(), reindex.tenantId(), JobType.REINDEX);
            }
            return null;
        }
    }

    private static String errorClass(FailedState failed) {
        String type = failed.getExceptionType();
        return type == null ? "unknown" : type.substring(type.lastIndexOf('.') + 1);
    }

    private static String rootCause(FailedState failed) {
        return failed.getExceptionCauseType() == null ? null
                : failed.getExceptionCauseType() + ": " + failed.getExceptionCauseMessage();
    }
}
