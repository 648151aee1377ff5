package dev.quarry.api.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.budgets.Budgets;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.jobs.QueueDepthGuard;
import dev.quarry.api.jobs.RequestedPriority;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.documents.DocumentVisibility;
import dev.quarry.documents.NewDocument;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts a validated upload: in one transaction the document, its bytes, its ingest job and the
 * idempotency record; after commit the job is queued for release to JobRunr (see {@link JobDispatcher}).
 */
@Component
class DocumentIntake {
    private static final Logger log = LoggerFactory.getLogger(DocumentIntake.class);
    static final String PATH = "/api/v1/documents";
    private final IdempotencyKeys idempotency;
    private final PgDocumentStore documents;
    private final PgJobStore jobs;
    private final JobDispatcher enqueuer;
    private final JobLifecycle lifecycle;
    private final QueueDepthGuard backpressure;
    private final Budgets budgets;
    private final ObjectMapper json;

    DocumentIntake(IdempotencyKeys idempotency, PgDocumentStore documents, PgJobStore jobs, JobDispatcher enqueuer,
                   JobLifecycle lifecycle, QueueDepthGuard backpressure, Budgets budgets, ObjectMapper json) {
        this.idempotency = idempotency;
        this.documents = documents;
        this.jobs = jobs;
        this.enqueuer = enqueuer;
        this.lifecycle = lifecycle;
        this.backpressure = backpressure;
        this.budgets = budgets;
        this.json = json;
    }

    /** {@code requestedPriority}: what the request asked for (null: nothing), {@code priority}: what the job gets. */
    record Upload(String tenant, String subject, String idempotencyKey, String traceParent, byte[] content, String filename,
                  String mediaType, byte[] rawMetadata, DocumentMetadata metadata, Integer requestedPriority, int priority) {
    }

    /** What a client gets for an accepted upload, now and on every replay. */
    record Accepted(UUID documentId, UUID jobId, String status) {
    }

    ResponseEntity<String> accept(Upload upload) {
        String sha256 = sha256(upload.content());
        IdempotentRequest request = IdempotentRequest.of(upload.tenant(), upload.idempotencyKey(), "POST", PATH,
                RequestedPriority.fingerprinted(upload.requestedPriority(), sha256.getBytes(StandardCharsets.US_ASCII),
                        bytes(upload.filename()), upload.rawMetadata()));
        return idempotency.execute(request, () -> store(upload, sha256));
    }

    private StoredResponse store(Upload upload, String sha256) {
        // Inside the idempotency transaction: a rejection stores nothing, and a replay is never rejected.
        backpressure.admit(JobType.INGEST);
        UUID documentId = UUID.randomUUID();
        String title = upload.metadata().title() != null ? upload.metadata().title()
                : upload.filename() != null ? upload.filename() : "untitled";
        DocumentMetadata metadata = upload.metadata();
        if (metadata.visibilityOrDefault() == DocumentVisibility.PRIVATE
                && (upload.subject() == null || upload.subject().isBlank())) {
            // Nobody could ever be its uploader: a private document without one would be the admins' only.
            throw new ApiProblem(ProblemKind.INVALID_METADATA, "a private document needs a token with a sub");
        }
        documents.insert(new NewDocument(documentId, upload.tenant(), upload.subject(), title, metadata.collectionOrDefault(),
                metadata.source(), metadata.tagsOrEmpty(), metadata.reliabilityOrDefault(), upload.mediaType(),
                upload.filename(), upload.content(), sha256, metadata.publishedAt(), metadata.visibilityOrDefault()));
        StoredResponse accepted = queueIngest(upload.tenant(), documentId, upload.idempotencyKey(), upload.traceParent(),
                upload.priority());
        // Last, so that the budget's row stays locked only from here to the commit: concurrent uploads of a
        // tenant queue on it briefly, not for the whole insert. A refusal rolls the insert back.
        budgets.admit(upload.tenant(), upload.subject(), budgets.estimateForBytes(upload.content().length));
        return accepted;
    }

    /**
     * Inside the caller's transaction: the document's ingest job at the interactive default priority, queued
     * after commit, and the 202 answer pointing at it.
     */
    StoredResponse queueIngest(String tenant, UUID documentId, String idempotencyKey, String traceParent) {
        return queueIngest(tenant, documentId, idempotencyKey, traceParent, JobType.INGEST.defaultPriority());
    }

    private StoredResponse queueIngest(String tenant, UUID documentId, String idempotencyKey, String traceParent,
                                       int priority) {
        Job job = createIngest(tenant, documentId, idempotencyKey, traceParent, priority);
        return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, "/api/v1/jobs/" + job.id()),
                write(new Accepted(documentId, job.id(), job.status().name())));
    }

    /**
     * Inside the caller's transaction: the document's ingest job (the outbox row) at {@code priority}, queued
     * for release after commit.
     */
    Job createIngest(String tenant, UUID documentId, String idempotencyKey, String traceParent, int priority) {
        UUID jobId = UUID.randomUUID();
        Job job = jobs.create(new NewJob(jobId, tenant, JobType.INGEST, documentId, idempotencyKey, traceParent, priority));
        enqueuer.dispatchAfterCommit(jobId);
        // The request's log lines name the job (TraceContextFilter clears these when the request ends).
        MDC.put("jobId", jobId.toString());
        MDC.put("documentId", documentId.toString());
        log.info("ingest job accepted");
        return job;
    }

    /**
     * Inside the caller's transaction: an ingest job of a document whose content is stored already, recorded
     * as queued, started and succeeded at once; JobRunr never sees it.
     */
    StoredResponse completeUnchanged(String tenant, UUID documentId, String idempotencyKey, String traceParent) {
        UUID jobId = UUID.randomUUID();
        jobs.create(new NewJob(jobId, tenant, JobType.INGEST, documentId, idempotencyKey, traceParent));
        lifecycle.start(jobId, tenant, new JobEventData.Started(documentId, null, true));
        lifecycle.succeed(jobId, tenant, new JobEventData.Succeeded(documentId, null, true, null, null));
        // Nothing for JobRunr: marked so that the outbox sweeper need not look at it.
        jobs.markEnqueued(jobId);
        return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, "/api/v1/jobs/" + jobId),
                write(new Accepted(documentId, jobId, JobStatus.SUCCEEDED.name())));
    }

    private String write(Accepted accepted) {
        try {
            return json.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids is always serializable", e);
        }
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
