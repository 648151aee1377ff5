package dev.quarry.jobs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The queue as a waiting caller sees it. A QUEUED job is either released to JobRunr (waiting there for a
 * thread; those go first, in the order they were released) or still in Quarry's queue, where it stands at
 * its place in {@code job_release_order} (priority, then the tenants' fair share; see {@link JobReleaser}),
 * behind every released one. So a job's position can fall as well as rise: a more urgent job, or a
 * tenant's first, may go ahead of it. A type's concurrency limit can hold a job back further than its
 * position says. The start estimate assumes the jobs ahead and those running take as long as the jobs that
 * finished in the last 15 minutes took on average, spread over the threads of the running workers: a rough
 * figure, good enough to tell "seconds" from "an hour". Reads only; {@link JobLifecycle} and
 * {@link PgJobStore} write.
 */
@Component
public class PgJobQueue {
    private final JdbcClient jdbc;
    private final ClusterThreads threads;

    PgJobQueue(JdbcClient jdbc, ClusterThreads threads) {
        this.jdbc = jdbc;
        this.threads = threads;
    }

    /** Empty unless the job is QUEUED. */
    public Optional<QueuePosition> positionOf(UUID jobId) {
        return jdbc.sql("""
                        with me as (select id, enqueued_at from jobs where id = ? and status = 'QUEUED')
                        select case when me.enqueued_at is not null then
                                   (select count(*) from jobs j where j.status = 'QUEUED' and j.enqueued_at is not null
                                    and (j.enqueued_at, j.id) < (me.enqueued_at, me.id))
                               else (select count(*) from jobs j where j.status = 'QUEUED' and j.enqueued_at is not null)
                                   + coalesce((select o.release_rank - 1 from job_release_order o where o.id = me.id), 0)
                               end as ahead,
                               (select count(*) from jobs where status in ('RUNNING', 'CANCEL_REQUESTED')) as running,
                               (select extract(epoch from avg(finished_at - started_at)) from jobs
                                where status = 'SUCCEEDED' and finished_at > now() - interval '15 minutes') as mean_seconds
                        from me""")
                .param(jobId)
                .query((rs, row) -> {
                    double mean = rs.getDouble("mean_seconds");
                    Double meanSeconds = rs.wasNull() ? null : mean;
                    return estimate(rs.getInt("ahead"), rs.getInt("running"), meanSeconds, threads.count(), Instant.now());
                })
                .optional();
    }

    static QueuePosition estimate(int ahead, int running, Double meanSeconds, int threads, Instant now) {
        if (meanSeconds == null || threads <= 0) return new QueuePosition(ahead + 1, null);
        // Threads free up one job at a time; this job starts once all but (threads - 1) of those before it have.
        double waves = Math.max(0, ahead + running + 1 - threads) / (double) threads;
        return new QueuePosition(ahead + 1, now.plus(Duration.ofMillis(Math.round(waves * meanSeconds * 1000))));
    }
}
