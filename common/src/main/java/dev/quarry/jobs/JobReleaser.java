package dev.quarry.jobs;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
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
 * <p>
 * <b>The fast path</b> ({@link #releaseWithin()}): the transaction that creates a job releases at its end,
 * inside itself, when no other release holds the lock: it marks what is next (usually its own job, on a quiet
 * queue), so the mark commits with the job, and hands the marked jobs to JobRunr right after that commit. This saves a transaction of its own, a thread hand-off and a wait, which is most of an
 * interactive upload's time to start. A crash between the commit and the hand-over leaves a job marked but
 * not in JobRunr; {@link JobOutboxSweeper} puts such a job back in the queue after {@code quarry.outbox.min-age}.
 * When another release holds the lock, the job is released after commit as before.
 */
@Component
public class JobReleaser {
    private static final Logger log = LoggerFactory.getLogger(JobReleaser.class);
    private static final String LOCK = "quarry.job_release";
    private final JdbcClient jdbc;
    private final DataSource dataSource;
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

    JobReleaser(JdbcClient jdbc, DataSource dataSource, TransactionTemplate transaction, PgJobStore jobs,
                JobRunrBridge jobRunr, PgJobWakeUp wakeUp, JobTypeLimits limits, ClusterThreads threads,
                ReleaseProperties properties) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
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

    /**
     * Inside the transaction that creates (or requeues) jobs: just before it commits, once however many jobs
     * it created, it releases in that transaction if no other release holds the lock, and hands what it marked
     * to JobRunr once the transaction has committed; if another release holds the lock, or the release fails
     * (under a savepoint, so the caller's transaction still commits), it releases after commit instead.
     * Nothing reaches JobRunr if the transaction rolls back.
     */
    public void releaseWithin() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            requestReleaseAfterCommit();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(this)) return; // this transaction releases once, at its end
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            private List<Job> marked;

            @Override
            public void beforeCommit(boolean readOnly) {
                marked = markWithin();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(JobReleaser.this);
                if (status != STATUS_COMMITTED) return;
                if (marked == null) {
                    requestRelease();
                } else if (!marked.isEmpty()) {
                    handOverAfterCommit(marked);
                }
            }
        });
    }

    /** The release inside the caller's transaction: the marked jobs, or null if it could not run here. */
    private List<Job> markWithin() {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Savepoint savepoint = null;
        try {
            savepoint = connection.setSavepoint();
            Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended(?, 0))").param(LOCK)
                    .query(Boolean.class).single();
            List<Job> marked = Boolean.TRUE.equals(locked) ? markLocked() : null;
            connection.releaseSavepoint(savepoint);
            return marked;
        } catch (SQLException | RuntimeException e) {
            log.warn("release inside the transaction failed, it runs after commit: {}", e.toString());
            try {
                if (savepoint != null) connection.rollback(savepoint);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            return null;
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private void handOverAfterCommit(List<Job> marked) {
        try {
            if (handOver(marked) > 0) wakeUp.ring(); // outside a transaction: delivered at once
        } catch (RuntimeException e) {
            log.warn("hand-over after commit failed, the outbox sweeper puts the job(s) back: {}", e.toString());
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
        int released = handOver(markLocked());
        if (released > 0) wakeUp.ring(); // delivered when this transaction commits
        return released;
    }

    /** Marks the next jobs released, as far as the window and the types' limits allow; the lock is held. */
    private List<Job> markLocked() {
        Holding holding = holding();
        int free = properties.windowFor(threads.count()) - holding.releasedWaiting();
        List<Job> marked = new ArrayList<>();
        if (free <= 0) return marked;
        Map<JobType, Integer> room = new EnumMap<>(JobType.class);
        limits.effective().forEach((type, limit) -> room.put(type, limit - holding.perType().getOrDefault(type, 0)));
        Set<JobType> full = EnumSet.noneOf(JobType.class);
        room.forEach((type, left) -> {
            if (left <= 0) full.add(type);
        });
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
            marked.addAll(jobs.markReleased(chosen));
        }
        return marked;
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
