package dev.quarry.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The queue's periodic backstop, in every process that has scheduling on (the API and every worker): a
 * release ({@link JobReleaser}) for whatever no commit's release took (a process died between commit and
 * release, JobRunr's tables were unreachable, a slot freed in a process that stopped), and two repairs.
 * Jobs that finished before their release (cancelled while waiting) are marked, so the queue's index
 * forgets them; and a released job still waiting after {@code quarry.outbox.min-age} whose run JobRunr no
 * longer holds (deleted on its dashboard, say) goes back to the queue, so it neither waits for ever nor
 * holds a slot of the window.
 */
@Component
public class JobOutboxSweeper {
    private static final Logger log = LoggerFactory.getLogger(JobOutboxSweeper.class);
    private static final int BATCH = 100;
    private final PgJobStore jobs;
    private final JobReleaser releaser;
    private final JobRunrBridge jobRunr;
    private final Duration minAge;

    JobOutboxSweeper(PgJobStore jobs, JobReleaser releaser, JobRunrBridge jobRunr,
                     @Value("${quarry.outbox.min-age:PT10S}") Duration minAge) {
        this.jobs = jobs;
        this.releaser = releaser;
        this.jobRunr = jobRunr;
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
        jobs.markFinishedUnreleased();
        List<UUID> lost = jobs.releasedNotStarted(minAge, BATCH).stream().filter(id -> !jobRunr.holdsRun(id)).toList();
        if (!lost.isEmpty()) {
            log.warn("{} released job(s) no longer in JobRunr go back to the queue", lost.size());
            jobs.unmarkReleased(lost);
        }
        int handed = releaser.releaseNow();
        if (handed > 0) log.info("outbox sweeper released {} job(s) to JobRunr", handed);
        return handed;
    }
}
