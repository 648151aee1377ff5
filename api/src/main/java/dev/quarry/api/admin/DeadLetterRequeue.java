package dev.quarry.api.admin;

import dev.quarry.jobs.DeadLetters;
import dev.quarry.jobs.Job;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends dead-lettered jobs back to work through {@link DeadLetters} (which owns {@code dead_letter_jobs}):
 * each requeue is one transaction, the entry closed and kept as history, the job QUEUED with a fresh attempt
 * cycle, JobRunr given a fresh run after commit.
 */
@Component
class DeadLetterRequeue {
    private static final int BATCH = 100;
    private final PgDeadLetters deadLetters;
    private final DeadLetters owner;

    DeadLetterRequeue(PgDeadLetters deadLetters, DeadLetters owner) {
        this.deadLetters = deadLetters;
        this.owner = owner;
    }

    /** @return the requeued job, or empty if the entry is not open (unknown, another tenant's, deleted or requeued already) */
    Optional<Job> requeue(UUID deadLetterId, TenantScope scope) {
        return owner.requeue(deadLetterId, scope.tenant());
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

    /** Discards an open entry in the caller's scope; its job stays DEAD_LETTERED. @return false if it is not open */
    boolean discard(UUID deadLetterId, TenantScope scope) {
        return owner.discard(deadLetterId, scope.tenant());
    }
}
