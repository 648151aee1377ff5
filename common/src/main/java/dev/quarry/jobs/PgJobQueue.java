package dev.quarry.jobs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The queue as a waiting caller sees it. Workers take QUEUED jobs oldest first across every tenant and type
 * (JobRunr fetches by enqueue time), so a job's position is one more than the QUEUED jobs created before it.
 * The start estimate assumes the jobs ahead and those running take as long as the jobs that finished in the
 * last 15 minutes took on average, spread over the threads of the running workers: a rough figure, good
 * enough to tell "seconds" from "an hour". Reads only; {@link JobLifecycle} and {@link PgJobStore} write.
 */
@Component
public class PgJobQueue {
    /** The worker threads change when a worker starts or stops: read at most once a second, not per job. */
    private static final Duration THREADS_MAX_AGE = Duration.ofSeconds(1);
    private final JdbcClient jdbc;
    private final JobRunrBridge jobRunr;
    private volatile Threads threads = new Threads(0, Instant.EPOCH);

    private record Threads(int count, Instant readAt) {
    }

    PgJobQueue(JdbcClient jdbc, JobRunrBridge jobRunr) {
        this.jdbc = jdbc;
        this.jobRunr = jobRunr;
    }

    /** Empty unless the job is QUEUED. */
    public Optional<QueuePosition> positionOf(UUID jobId) {
        return jdbc.sql("""
                        with me as (select id, created_at from jobs where id = ? and status = 'QUEUED')
                        select (select count(*) from jobs j where j.status = 'QUEUED'
                                and (j.created_at, j.id) < (me.created_at, me.id)) as ahead,
                               (select count(*) from jobs where status in ('RUNNING', 'CANCEL_REQUESTED')) as running,
                               (select extract(epoch from avg(finished_at - started_at)) from jobs
                                where status = 'SUCCEEDED' and finished_at > now() - interval '15 minutes') as mean_seconds
                        from me""")
                .param(jobId)
                .query((rs, row) -> {
                    double mean = rs.getDouble("mean_seconds");
                    Double meanSeconds = rs.wasNull() ? null : mean;
                    return estimate(rs.getInt("ahead"), rs.getInt("running"), meanSeconds, workerThreads(), Instant.now());
                })
                .optional();
    }

    private int workerThreads() {
        Threads known = threads;
        if (known.readAt().plus(THREADS_MAX_AGE).isAfter(Instant.now())) return known.count();
        Threads read = new Threads(jobRunr.runningWorkerThreads(), Instant.now());
        threads = read;
        return read.count();
    }

    static QueuePosition estimate(int ahead, int running, Double meanSeconds, int threads, Instant now) {
        if (meanSeconds == null || threads <= 0) return new QueuePosition(ahead + 1, null);
        // Threads free up one job at a time; this job starts once all but (threads - 1) of those before it have.
        double waves = Math.max(0, ahead + running + 1 - threads) / (double) threads;
        return new QueuePosition(ahead + 1, now.plus(Duration.ofMillis(Math.round(waves * meanSeconds * 1000))));
    }
}
