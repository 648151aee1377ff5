package dev.quarry.worker.reindex;

import dev.quarry.jobs.PgJobStore;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Hands a job whose {@code jobs} row is committed to JobRunr, the way the API does: no JobRunr retries
 * (Quarry owns them), and {@code enqueued_at} records the hand-over. If the hand-over fails, the row stays
 * unenqueued and the API's outbox sweeper completes it.
 */
@Component
class JobRunrHandOver {
    private static final Logger log = LoggerFactory.getLogger(JobRunrHandOver.class);
    private final JobRequestScheduler jobRunr;
    private final PgJobStore jobs;

    JobRunrHandOver(JobRequestScheduler jobRunr, PgJobStore jobs) {
        this.jobRunr = jobRunr;
        this.jobs = jobs;
    }

    void handOver(UUID id, JobRequest request) {
        try {
            jobRunr.create(JobBuilder.aJob().withId(id).withJobRequest(request).withAmountOfRetries(0)
                    .withName(request.getClass().getSimpleName() + " " + id));
            jobs.markEnqueued(id);
        } catch (RuntimeException e) {
            log.warn("job {} not handed to JobRunr yet, the outbox sweeper will: {}", id, e.toString());
        }
    }
}
