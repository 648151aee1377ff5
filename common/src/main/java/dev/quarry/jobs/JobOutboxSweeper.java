package dev.quarry.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * Completes the dispatch outbox: jobs committed more than {@code quarry.outbox.min-age} ago that never
 * reached JobRunr (their process died between commit and hand-over, or JobRunr's tables were unreachable).
 * Runs in every process that has scheduling on (the API and every worker), so a job a worker created does
 * not wait for an API. The minimum age keeps it from racing the process that is handing its own job over
 * right now; two sweepers handing the same job over is harmless ({@link JobRunrBridge#create}).
 */
@Component
public class JobOutboxSweeper {
    private static final Logger log = LoggerFactory.getLogger(JobOutboxSweeper.class);
    private static final int BATCH = 100;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;
    private final Duration minAge;

    JobOutboxSweeper(PgJobStore jobs, JobDispatcher dispatcher,
                     @Value("${quarry.outbox.min-age:PT10S}") Duration minAge) {
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.minAge = minAge;
    }

    @Scheduled(fixedDelayString = "${quarry.outbox.sweep-interval:PT5S}",
            initialDelayString = "${quarry.outbox.sweep-interval:PT5S}")
    void sweep() {
        try {
            sweepOnce();
        } catch (RuntimeException e) {
            log.warn("outbox sweep failed, will retry: {}", e.toString());
        }
    }

    /** @return how many jobs were handed to JobRunr */
    public int sweepOnce() {
        List<Job> pending = jobs.notEnqueued(minAge, BATCH);
        int handed = 0;
        for (Job job : pending) {
            if (job.status().isTerminal()) {
                // Cancelled (or otherwise finished) before JobRunr ever saw it: nothing to run.
                jobs.markEnqueued(job.id());
                continue;
            }
            if (dispatcher.dispatch(job.id(), job.type().requestFor(job))) handed++;
        }
        if (handed > 0) log.info("outbox sweeper handed {} job(s) to JobRunr", handed);
        return handed;
    }
}
