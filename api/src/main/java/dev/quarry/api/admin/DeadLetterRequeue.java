package dev.quarry.api.admin;

import dev.quarry.api.jobs.JobEnqueuer;
import dev.quarry.events.JobEventType;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sends dead-lettered jobs back to work. Each requeue is one transaction: the entry is closed (kept as
 * history), the job moves DEAD_LETTERED → QUEUED with a fresh attempt cycle and a {@code queued} event,
 * and after commit JobRunr gets a fresh run (the outbox sweeper completes it if that hand-over fails).
 */
@Component
class DeadLetterRequeue {
    private static final int BATCH = 100;
    private final PgDeadLetters deadLetters;
    private final PgJobStore jobs;
    private final JobEnqueuer enqueuer;
    private final TransactionTemplate transaction;

    DeadLetterRequeue(PgDeadLetters deadLetters, PgJobStore jobs, JobEnqueuer enqueuer, TransactionTemplate transaction) {
        this.deadLetters = deadLetters;
        this.jobs = jobs;
        this.enqueuer = enqueuer;
        this.transaction = transaction;
    }

    /** @return the requeued job, or empty if the entry is not open (unknown, deleted or requeued already) */
    java.util.Optional<Job> requeue(UUID deadLetterId, TenantScope scope) {
        return java.util.Optional.ofNullable(transaction.execute(status -> {
            DeadLetter entry = deadLetters.find(deadLetterId, scope).orElse(null);
            if (entry == null || !deadLetters.markRequeued(deadLetterId)) return null;
            jobs.transition(entry.jobId(), entry.tenantId(), JobStatus.QUEUED, JobEventType.QUEUED,
                    Map.of("requeued", true, "deadLetterId", deadLetterId.toString()), null);
            Job job = jobs.find(entry.tenantId(), entry.jobId()).orElseThrow();
            enqueuer.enqueueAfterCommit(job.id(), JobEnqueuer.requestFor(job));
            return job;
        }));
    }

    /**
     * Requeues every open entry matching the filter, in batches; its tenant is the caller's scope.
     * @return how many were requeued
     */
    int requeueAll(DeadLetterFilter filter) {
        TenantScope scope = new TenantScope(filter.tenant());
        int total = 0;
        while (true) {
            List<UUID> ids = deadLetters.openIds(filter, BATCH);
            int requeued = 0;
            for (UUID id : ids) {
                if (requeue(id, scope).isPresent()) requeued++;
            }
            total += requeued;
            if (ids.size() < BATCH || requeued == 0) return total;
        }
    }
}
