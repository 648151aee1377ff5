package dev.quarry.api.documents;

import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.jobs.QueueDepthGuard;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.jobs.JobType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ingests an existing document again: as it is ({@code POST …/reingest}), or with new content
 * ({@code PUT …/content}). Either way one transaction locks the document, refuses if an ingest of it is
 * still pending (409: two jobs of one document would race to store), and queues the job with the
 * idempotency record. The worker does only what the content needs: nothing for an unchanged, already stored
 * one, and for a changed one the embeddings of the chunks that changed.
 */
@Component
class DocumentReingest {
    private final IdempotencyKeys idempotency;
    private final PgDocumentStore documents;
    private final DocumentIntake intake;
    private final QueueDepthGuard backpressure;

    DocumentReingest(IdempotencyKeys idempotency, PgDocumentStore documents, DocumentIntake intake,
                     QueueDepthGuard backpressure) {
        this.idempotency = idempotency;
        this.documents = documents;
        this.intake = intake;
        this.backpressure = backpressure;
    }

    ResponseEntity<String> reingest(String tenant, String key, String traceParent, UUID documentId) {
        IdempotentRequest request = IdempotentRequest.of(tenant, key, "POST", path(documentId) + "/reingest");
        return idempotency.execute(request, () -> {
            lockIdle(tenant, documentId);
            return intake.queueIngest(tenant, documentId, key, traceParent);
        });
    }

    ResponseEntity<String> replaceContent(String tenant, String key, String traceParent, UUID documentId,
                                          NewContent content) {
        IdempotentRequest request = IdempotentRequest.of(tenant, key, "PUT", path(documentId) + "/content",
                content.sha256().getBytes(StandardCharsets.US_ASCII),
                content.filename() == null ? null : content.filename().getBytes(StandardCharsets.UTF_8));
        return idempotency.execute(request, () -> {
            lockIdle(tenant, documentId);
            documents.replaceContent(tenant, documentId, content);
            return intake.queueIngest(tenant, documentId, key, traceParent);
        });
    }

    /** Inside the idempotency transaction: a refusal stores nothing, and a replay is never refused. */
    private void lockIdle(String tenant, UUID documentId) {
        // Another tenant's document is indistinguishable from a missing one.
        if (!documents.lock(tenant, documentId)) throw ApiProblem.notFound("document", documentId);
        if (documents.ingestPending(documentId)) {
            throw new ApiProblem(ProblemKind.INGEST_IN_PROGRESS, "document " + documentId
                    + " has an ingest job that has not finished; wait for it or cancel it first");
        }
        backpressure.admit(JobType.INGEST);
    }

    private static String path(UUID documentId) {
        return DocumentIntake.PATH + "/" + documentId;
    }
}
