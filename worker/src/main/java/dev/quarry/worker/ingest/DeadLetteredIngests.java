package dev.quarry.worker.ingest;

import dev.quarry.jobs.JobDeadLettered;
import dev.quarry.jobs.JobType;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An ingest job that is dead-lettered leaves its document FAILED, in the dead letter's transaction (the
 * listener runs synchronously, inside it). Moved here from the dead-letter store so that {@code jobs} writes no
 * documents; the documents feature, once it owns {@code documents.status}, takes this over.
 */
@Component
class DeadLetteredIngests {
    private final JdbcClient jdbc;

    DeadLetteredIngests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(JobDeadLettered event) {
        if (event.type() != JobType.INGEST || event.documentId() == null) return;
        jdbc.sql("update documents set status = 'FAILED', updated_at = now() where id = ? and tenant_id = ?")
                .params(event.documentId(), event.tenantId()).update();
    }
}
