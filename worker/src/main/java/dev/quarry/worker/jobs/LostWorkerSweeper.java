package dev.quarry.worker.jobs;

import dev.quarry.jobs.JobRunrBridge;
import org.jobrunr.jobs.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands the jobs of a dead worker process back within seconds, where JobRunr alone takes its server timeout
 * (poll interval × 4, at least 20 s) plus a poll or two.
 * <p>
 * Every worker's database sessions carry its name ({@link WorkerName#applicationName()}). When a process dies
 * (SIGKILL, out of memory, a JVM crash), its operating system closes its sockets and PostgreSQL ends its
 * sessions at once. So a job that JobRunr still shows PROCESSING on a server that has no session left, and
 * that its server has not refreshed for {@code quarry.recovery.quiet-for} (longer than the poll interval, in
 * which a live server refreshes its jobs), belongs to a dead worker: it is failed as orphaned, which
 * {@link QuarryRetryPolicy} turns into an immediate re-run. Both conditions are needed, so a live worker that
 * lost its sessions for a moment (a database restart) refreshes its jobs and keeps them. A worker cut off by
 * the network keeps its sessions until TCP gives up; JobRunr's own server timeout covers that case.
 * <p>
 * Runs on every worker; when two act on the same job, JobRunr's optimistic locking lets one win.
 */
@Component
@ConditionalOnProperty(name = "jobrunr.background-job-server.enabled", havingValue = "true")
class LostWorkerSweeper {
    private static final Logger log = LoggerFactory.getLogger(LostWorkerSweeper.class);
    private final JobRunrBridge jobRunr;
    private final JdbcClient jdbc;
    private final QuarryRetryPolicy retryPolicy;
    private final Duration quietFor;

    LostWorkerSweeper(JobRunrBridge jobRunr, JdbcClient jdbc, QuarryRetryPolicy retryPolicy,
                      @Value("${quarry.recovery.quiet-for:PT8S}") Duration quietFor) {
        this.jobRunr = jobRunr;
        this.jdbc = jdbc;
        this.retryPolicy = retryPolicy;
        this.quietFor = quietFor;
    }

    @Scheduled(fixedDelayString = "${quarry.recovery.sweep-interval:PT2S}", initialDelayString = "${quarry.recovery.sweep-interval:PT2S}")
    void sweep() {
        try {
            List<Job> quiet = jobRunr.quietRunning(Instant.now().minus(quietFor), 100);
            if (quiet.isEmpty()) return;
            Set<String> live = liveApplicationNames();
            for (Job job : quiet) {
                String server = JobRunrBridge.serverOf(job);
                if (!live.contains(WorkerName.applicationName(server))) handBack(job, server);
            }
        } catch (RuntimeException e) {
            log.warn("lost-worker sweep failed, next one in a moment: {}", e.toString());
        }
    }

    private void handBack(Job job, String server) {
        if (jobRunr.handBack(job, "worker " + server + " has no database session left and stopped updating the job",
                retryPolicy)) {
            log.warn("job {} was running on {}, which died; handed back ({})", job.getId(), server, job.getState());
        } else {
            log.debug("job {} moved on meanwhile", job.getId());
        }
    }

    private Set<String> liveApplicationNames() {
        return new HashSet<>(jdbc.sql("select application_name from pg_stat_activity where datname = current_database()")
                .query(String.class).list());
    }
}
