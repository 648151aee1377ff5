package dev.quarry.jobs;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What operators do with dead letters: requeue (the job starts a fresh attempt cycle and keeps its history)
 * or discard. {@code tenant} scopes an operation to one tenant's entries (a tenant admin); null reaches
 * every tenant's (an operator). Opening entries is {@link JobLifecycle#deadLetter}'s.
 */
@Component
public class DeadLetters {
    private final PgDeadLetterJobs entries;
    private final JobLifecycle lifecycle;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;

    DeadLetters(PgDeadLetterJobs entries, JobLifecycle lifecycle, PgJobStore jobs, JobDispatcher dispatcher) {
        this.entries = entries;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
    }

    /**
     * One transaction: the entry is closed (kept as history), the job moves DEAD_LETTERED → QUEUED with a
     * fresh attempt cycle and a {@code queued} event; after commit JobRunr gets a fresh run (the outbox
     * sweeper completes it if that hand-over fails).
     *
     * @return the requeued job, or empty if the entry is not open (unknown, outside {@code tenant}, deleted or
     *         requeued already)
     */
    @Transactional
    public Optional<Job> requeue(UUID deadLetterId, String tenant) {
        PgDeadLetterJobs.Closed closed = entries.close(deadLetterId, tenant).orElse(null);
        if (closed == null) return Optional.empty();
        lifecycle.requeue(closed.jobId(), closed.tenantId(), new JobEventData.Requeued(deadLetterId));
        Job job = jobs.find(closed.tenantId(), closed.jobId()).orElseThrow();
        dispatcher.dispatchAfterCommit(job);
        return Optional.of(job);
    }

    /** Deletes an open entry; its job stays DEAD_LETTERED. @return false if no such entry is open */
    @Transactional
    public boolean discard(UUID deadLetterId, String tenant) {
        return entries.delete(deadLetterId, tenant);
    }

    /** Deletes these entries for retention; their jobs keep their status and history. */
    public int deleteForRetention(List<UUID> ids) {
        return entries.delete(ids);
    }
}
