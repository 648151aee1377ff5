package dev.quarry.worker.jobs;

import dev.quarry.embedding.openai.EmbeddingProviderUnavailableException;
import dev.quarry.embedding.openai.OpenAiClientProperties;
import dev.quarry.jobs.DeadLetterCause;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobRunrBridge;
import dev.quarry.jobs.QuarryJobRequest;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Quarry's retry policy, in place of JobRunr's (jobs are created with 0 JobRunr retries), for every job family
 * (every {@link QuarryJobRequest}). Runs when JobRunr
 * elects FAILED for a run, whether the handler threw or the run was orphaned by a dead worker. A transient
 * failure with retries left is rescheduled on the job type's {@link RetrySchedule} and recorded as
 * RETRY_SCHEDULED with a {@code retrying} event; otherwise the job is dead-lettered. Permanent failures
 * never get here: the handler dead-letters them itself without throwing.
 * <p>
 * A run orphaned by a dead worker (killed, out of memory, its machine gone) says nothing about the job, so
 * it does not use up the job's retries: it is enqueued again at once, up to
 * {@link #WORKER_LOSSES} times, so that a document that itself kills every worker still ends as a dead letter.
 * <p>
 * A run turned away by the embedding provider's open circuit breaker
 * ({@link EmbeddingProviderUnavailableException}) did no work and says nothing about the job: it is always
 * rescheduled, no earlier than the breaker's wait (plus up to 20 % jitter, so the jobs do not all probe at
 * once), and does not use up a retry. The job waits out the outage instead of being dead-lettered by it.
 */
@Component
class QuarryRetryPolicy implements ElectStateFilter {
    private static final Logger log = LoggerFactory.getLogger(QuarryRetryPolicy.class);
    /** When even the dead-letter write fails (the database is down), try the whole decision again later. */
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(30);
    /** How many runs of one job may be orphaned by a dead worker before it is dead-lettered. */
    static final int WORKER_LOSSES = 10;
    private final JobLifecycle lifecycle;
    private final RetryProperties properties;
    private final Duration breakerWait;

    QuarryRetryPolicy(JobLifecycle lifecycle, RetryProperties properties, OpenAiClientProperties openAi) {
        this.lifecycle = lifecycle;
        this.properties = properties;
        this.breakerWait = openAi.breaker().waitInOpenState();
    }

    @Override
    public void onStateElection(Job job, JobState newState) {
        if (!(newState instanceof FailedState failed)) return;
        // Quarry's jobs carry their request; others (recurring maintenance jobs) keep JobRunr's own retries.
        QuarryJobRequest request = JobRunrBridge.requestOf(job);
        if (request == null) return;
        RetrySchedule schedule = properties.forType(request.jobType().tag());
        if (orphaned(failed)) {
            int losses = (int) job.getJobStates().stream().filter(s -> s instanceof FailedState f && orphaned(f)).count();
            if (losses <= WORKER_LOSSES) {
                // Nothing to wait for: the job did not fail, its worker did. Straight back to the queue.
                job.enqueue();
                recordRetry(request, failedRuns(job), Instant.now(), failed);
                return;
            }
        } else if (!failed.mustNotRetry() && providerUnavailable(failed)) {
            Instant next = Instant.now().plus(breakerWait).plusMillis(
                    ThreadLocalRandom.current().nextLong(breakerWait.toMillis() / 5 + 1));
            job.scheduleAt(next, "Embedding provider unavailable; waiting for its circuit breaker");
            recordRetry(request, failedRuns(job), next, failed);
            return;
        } else {
            // Lost workers and an open breaker are not the job's failures: they do not use up its retries.
            int failures = (int) job.getJobStates().stream()
                    .filter(s -> s instanceof FailedState f && !orphaned(f) && !providerUnavailable(f)).count();
            if (!failed.mustNotRetry() && failures <= schedule.retries()) {
                Instant next = Instant.now().plus(schedule.delayBefore(failures));
                job.scheduleAt(next, "Retry " + failures + " of " + schedule.retries());
                recordRetry(request, failedRuns(job), next, failed);
                return;
            }
        }
        try {
            lifecycle.deadLetter(request.jobId(), request.tenantId(), new DeadLetterCause(errorClass(failed),
                    failed.getExceptionMessage(), rootCause(failed), DeadLetterCause.Classification.RETRIES_EXHAUSTED,
                    failedRuns(job)));
        } catch (RuntimeException e) {
            log.warn("job {} not dead-lettered yet ({}); deciding again in {}", request.jobId(), e, DEAD_LETTER_RETRY);
            job.scheduleAt(Instant.now().plus(DEAD_LETTER_RETRY), "Dead-letter pending");
        }
    }

    /** Best effort: when the database is what failed, the job stays RUNNING and the next run moves it on. */
    private void recordRetry(QuarryJobRequest request, int attempt, Instant next, FailedState failed) {
        try {
            lifecycle.scheduleRetry(request.jobId(), request.tenantId(),
                    new JobEventData.RetryScheduled(attempt, next, errorClass(failed)), failed.getExceptionMessage());
        } catch (RuntimeException e) {
            log.warn("retry {} of job {} not recorded: {}", attempt, request.jobId(), e.toString());
        }
    }

    private static boolean orphaned(FailedState failed) {
        return JobRunrBridge.orphaned(failed);
    }

    private static int failedRuns(Job job) {
        return JobRunrBridge.failedRuns(job);
    }

    /** The handler rethrows what the embed step got, so the breaker's exception is the failure or its cause. */
    static boolean providerUnavailable(FailedState failed) {
        String name = EmbeddingProviderUnavailableException.class.getName();
        return name.equals(failed.getExceptionType()) || name.equals(failed.getExceptionCauseType())
                || (failed.getStackTrace() != null && failed.getStackTrace().contains("Caused by: " + name));
    }

    private static String errorClass(FailedState failed) {
        if (providerUnavailable(failed)) return EmbeddingProviderUnavailableException.class.getSimpleName();
        String type = failed.getExceptionType();
        return type == null ? "unknown" : type.substring(type.lastIndexOf('.') + 1);
    }

    private static String rootCause(FailedState failed) {
        return failed.getExceptionCauseType() == null ? null
                : failed.getExceptionCauseType() + ": " + failed.getExceptionCauseMessage();
    }
}
