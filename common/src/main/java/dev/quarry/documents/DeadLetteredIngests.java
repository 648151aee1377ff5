package dev.quarry.documents;

import dev.quarry.jobs.JobDeadLettered;
import dev.quarry.jobs.JobType;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An ingest job that is dead-lettered leaves its document FAILED, in the dead letter's transaction (the
 * listener runs synchronously, inside it), so a document is never left PENDING behind a job that will not
 * run again. The jobs feature announces the dead letter; documents, which own the status, record it.
 */
@Component
class DeadLetteredIngests {
    private final PgDocumentStore documents;

    DeadLetteredIngests(PgDocumentStore documents) {
        this.documents = documents;
    }

    @EventListener
    void on(JobDeadLettered event) {
        if (event.type() != JobType.INGEST || event.documentId() == null) return;
        documents.markFailed(event.tenantId(), event.documentId());
    }
}
