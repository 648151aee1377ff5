package dev.quarry.jobs;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Releases waiting jobs from Quarry's queue (the {@code jobs} table) to JobRunr, which runs them: the next
 * jobs in {@code job_release_order} (priority, then the tenants' fair share; see V28 and V29), skipping a type whose
 * cluster-wide limit ({@link JobTypeLimits}) is reached, and only as many as the window
 * ({@link ReleaseProperties}) has room for. Any API or worker process may run it; a PostgreSQL advisory lock
 * makes the releases of the whole cluster one after another, so two processes never release past a limit.
 * <p>
 * A release runs after every commit that adds a job or frees a slot ({@link #requestRelease()}: requests
 * that arrive while one runs cost one more release, not one each) and every few seconds from
 * {@link JobOutboxSweeper}. The hand-over keeps the outbox's guarantees: the rows are marked in the
 * release's transaction and JobRunr gets each job before it commits, so a crash in between leaves the job
 * unreleased (released again later; a second hand-over of a run JobRunr holds is harmless), and a
 * cancellation that meets a release waits for its row lock, then withdraws the run. The workers are woken by
 * a NOTIFY that PostgreSQL delivers at the commit.
 */
@Component
public class JobReleaser {
    private static final Logger log = LoggerFactory.getLogger(JobReleaser.class);
    private static final String LOCK = "quarry.job_release";
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final PgJobStore jobs;
    private final JobRunrBridge jobRunr;
    private final PgJobWakeUp wakeUp;
    private final JobTypeLimits limits;
    private final ClusterThreads threads;
    private final ReleaseProperties properties;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final ExecutorService releases = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "job-releaser");
        thread.setDaemon(true);
        return thread;
    });

    /** What holds a slot right now: released jobs not started (the window), and per type everything limited. */
    private record Holding(int releasedWaiting, Map<JobType, Integer> perType) {
    }

    JobReleaser(JdbcClient jdbc, TransactionTemplate transaction, PgJobStore jobs, JobRunrBridge jobRunr,
                PgJobWakeUp wakeUp, JobTypeLimits limits, ClusterThreads threads, ReleaseProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.jobs = jobs;
        this.jobRunr = jobRunr;
        this.wakeUp = wakeUp;
        this.limits = limits;
        this.threads = threads;
        this.properties = properties;
    }

    /** Asks for a release soon, on the releaser's own thread; never blocks, never throws. */
    public void requestRelease() {
        if (requested.compareAndSet(false, true)) {
            try {
                releases.execute(this::releaseRequested);
            } catch (RuntimeException shutDown) {
                requested.set(false); // the sweeper of a running process releases it
            }
        }
    }

    /** {@link #requestRelease()} once the caller's transaction commits (at once without one); nothing if it rolls back. */
    public void requestReleaseAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            requestRelease();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                requestRelease();
            }
        });
    }

    private void releaseRequested() {
        requested.set(false); // first: a request that arrives during this release gets a release of its own
        try {
            releaseNow();
        } catch (RuntimeException e) {
            log.warn("job release failed, the next commit or the sweeper releases again: {}", e.toString());
        }
    }

    /**
     * One release, now, on the caller's thread.
     *
     * @return how many jobs JobRunr got
     */
    public int releaseNow() {
        Integer released = transaction.execute(status -> {
            jdbc.sql("select 1 from pg_advisory_xact_lock(hashtextextended(?, 0))").param(LOCK).query().singleValue();
            return releaseLocked();
        });
        return released == null ? 0 : released;
    }

    private int releaseLocked() {
        Holding holding = holding();
        int free = properties.windowFor(threads.count()) - holding.releasedWaiting();
        if (free <= 0) return 0;
        Map<JobType, Integer> room = new EnumMap<>(JobType.class);
        limits.effective().forEach((type, limit) -> room.put(type, limit - holding.perType().getOrDefault(type, 0)));
        Set<JobType> full = EnumSet.noneOf(JobType.class);
        room.forEach((type, left) -> {
            if (left <= 0) full.add(type);
        });
        int released = 0;
        boolean skipped = true;
        while (free > 0 && skipped) {
            skipped = false;
            List<UUID> chosen = new ArrayList<>();
            for (Candidate candidate : next(full, free)) {
                Integer left = room.get(candidate.type());
                if (left != null && left <= 0) {
                    full.add(candidate.type());
                    skipped = true; // the rest of this batch may be short: look again without the full type
                    continue;
                }
                if (left != null) room.put(candidate.type(), left - 1);
                chosen.add(candidate.id());
                free--;
            }
            released += handOver(jobs.markReleased(chosen));
        }
        if (released > 0) wakeUp.ring(); // delivered when this transaction commits
        return released;
    }

    private record Candidate(UUID id, JobType type) {
    }

    private List<Candidate> next(Set<JobType> full, int limit) {
        return jdbc.sql("select id, type from job_release_order where not (type = any(?)) order by release_rank limit ?")
                .params(full.stream().map(Enum::name).toArray(String[]::new), limit)
                .query((rs, row) -> new Candidate(rs.getObject(1, UUID.class), JobType.valueOf(rs.getString(2))))
                .list();
    }

    private Holding holding() {
        Map<JobType, Integer> perType = new EnumMap<>(JobType.class);
        int[] releasedWaiting = {0};
        jdbc.sql("""
                        select type, count(*) filter (where status = 'QUEUED') as released_waiting, count(*) as holding
                        from jobs where status in ('RUNNING', 'CANCEL_REQUESTED', 'RETRY_SCHEDULED')
                            or (status = 'QUEUED' and enqueued_at is not null)
                        group by type""")
                .query((rs, row) -> {
                    releasedWaiting[0] += rs.getInt("released_waiting");
                    perType.put(JobType.valueOf(rs.getString("type")), rs.getInt("holding"));
                    return null;
                }).list();
        return new Holding(releasedWaiting[0], perType);
    }

    /** Gives JobRunr each marked job; those it refused go back to the queue. */
    private int handOver(List<Job> marked) {
        List<UUID> refused = new ArrayList<>();
        for (Job job : marked) {
            try {
                jobRunr.create(job.id(), job.type().requestFor(job));
            } catch (RuntimeException e) {
                log.warn("job {} not handed to JobRunr, it stays queued: {}", job.id(), e.toString());
                refused.add(job.id());
            }
        }
        jobs.unmarkReleased(refused);
        jobs.recordTurns(marked.stream().map(Job::id).filter(id -> !refused.contains(id)).toList());
        return marked.size() - refused.size();
    }

    @PreDestroy
    void stop() {
        releases.shutdownNow();
    }
}
