package dev.quarry.api.documents;

import dev.quarry.api.budgets.Budgets;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.jobs.QueueDepthGuard;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.documents.DocumentViewer;
import dev.quarry.documents.NewContent;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.jobs.JobType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ingests an existing document again: as it is ({@code POST …/reingest}), or with new content
 * ({@code PUT …/content}). Either way one transaction locks the document, refuses if an ingest of it is
 * still pending (409: two jobs of one document would race to store), and queues the job with the
 * idempotency record. Only what the content needs is done: an unchanged content already stored for the
 * current embedding version completes its job at once, here; for a changed one the worker embeds only the
 * chunks whose text changed. A job that will embed is charged to the caller's daily budgets like an upload of
 * the content (an unchanged content costs nothing); a refusal (429) stores nothing.
 */
@Component
class DocumentReingest {
    private final IdempotencyKeys idempotency;
    private final PgDocumentStore documents;
    private final DocumentIntake intake;
    private final QueueDepthGuard backpressure;
    private final EmbeddingVersion embeddingVersion;
    private final Budgets budgets;

    DocumentReingest(IdempotencyKeys idempotency, PgDocumentStore documents, DocumentIntake intake,
                     QueueDepthGuard backpressure, EmbeddingVersion embeddingVersion, Budgets budgets) {
        this.budgets = budgets;
        this.embeddingVersion = embeddingVersion;
        this.idempotency = idempotency;
        this.documents = documents;
        this.intake = intake;
        this.backpressure = backpressure;
    }

    ResponseEntity<String> reingest(Caller caller, String key, String traceParent, UUID documentId) {
        String tenant = caller.tenant();
        IdempotentRequest request = IdempotentRequest.of(tenant, key, "POST", path(documentId) + "/reingest");
        return idempotency.execute(request, () -> {
            lockIdle(tenant, caller.documentViewer(), documentId);
            // The worker would find nothing to do: the job is done as soon as it is accepted, without a trip
            // through JobRunr and a worker, and says so in its history (queued, started, succeeded).
            if (documents.storedAsIs(documentId, embeddingVersion.tag())) {
                return intake.completeUnchanged(tenant, documentId, key, traceParent);
            }
            backpressure.admit(JobType.INGEST);
            StoredResponse queued = intake.queueIngest(tenant, documentId, key, traceParent);
            // Last, as for uploads: the budget's row stays locked only until the commit.
            budgets.admit(tenant, caller.subject(), budgets.estimateForBytes(documents.sizeBytes(documentId)));
            return queued;
        });
    }

    ResponseEntity<String> replaceContent(Caller caller, String key, String traceParent, UUID documentId,
                                          NewContent content) {
        String tenant = caller.tenant();
        IdempotentRequest request = IdempotentRequest.of(tenant, key, "PUT", path(documentId) + "/content",
                content.sha256().getBytes(StandardCharsets.US_ASCII),
                content.filename() == null ? null : content.filename().getBytes(StandardCharsets.UTF_8));
        return idempotency.execute(request, () -> {
            lockIdle(tenant, caller.documentViewer(), documentId);
            backpressure.admit(JobType.INGEST);
            documents.replaceContent(tenant, documentId, content);
            StoredResponse queued = intake.queueIngest(tenant, documentId, key, traceParent);
            budgets.admit(tenant, caller.subject(), budgets.estimateForBytes(content.bytes().length));
            return queued;
        });
    }

    /** Inside the idempotency transaction: a refusal stores nothing, and a replay is never refused. */
    private void lockIdle(String tenant, DocumentViewer viewer, UUID documentId) {
        // Another tenant's document, or another user's private one, is indistinguishable from a missing one.
        if (!documents.lock(tenant, documentId, viewer)) throw ApiProblem.notFound("document", documentId);
        if (documents.ingestPending(documentId)) {
            throw new ApiProblem(ProblemKind.INGEST_IN_PROGRESS, "document " + documentId
                    + " has an ingest job that has not finished; wait for it or cancel it first");
        }
    }

    private static String path(UUID documentId) {
        return DocumentIntake.PATH + "/" + documentId;
    }
}
