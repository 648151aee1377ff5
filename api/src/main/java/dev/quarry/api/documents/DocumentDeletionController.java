package dev.quarry.api.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.api.web.TraceContext;
import dev.quarry.deletion.DocumentDeleted;
import dev.quarry.deletion.DocumentDeletion;
import dev.quarry.deletion.DocumentDeletions;
import dev.quarry.documents.DocumentView;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.jobs.Job;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Deletes documents and everything derived from them ({@link DocumentDeletion}). One document of at most
 * {@code quarry.deletion.inline-max-chunks} chunks is deleted within the request and answered with a receipt;
 * a larger one, or a bulk deletion by the filters of the bulk re-ingest, becomes a DELETE_DOCUMENTS job
 * (202), so the request returns at once and the work survives a crash. The Idempotency-Key makes a retry
 * replay the first answer.
 */
@RestController
class DocumentDeletionController {
    static final String BULK_PATH = DocumentIntake.PATH + "/delete";
    private final DocumentDeletion deletion;
    private final DocumentDeletions deletions;
    private final PgDocumentStore documents;
    private final DeletionMatches matches;
    private final IdempotencyKeys idempotency;
    private final ObjectMapper json;
    private final int inlineMaxChunks;

    DocumentDeletionController(DocumentDeletion deletion, DocumentDeletions deletions, PgDocumentStore documents,
                               DeletionMatches matches, IdempotencyKeys idempotency, ObjectMapper json,
                               @Value("${quarry.deletion.inline-max-chunks:2000}") int inlineMaxChunks) {
        this.deletion = deletion;
        this.deletions = deletions;
        this.documents = documents;
        this.matches = matches;
        this.idempotency = idempotency;
        this.json = json;
        this.inlineMaxChunks = inlineMaxChunks;
    }

    record Receipt(UUID documentId, int chunks, int cacheEntries, int jobsCancelled, Instant deletedAt) {
        static Receipt of(DocumentDeleted deleted) {
            return new Receipt(deleted.documentId(), deleted.chunks(), deleted.cacheEntries(), deleted.jobsCancelled(),
                    Instant.now());
        }
    }

    record Accepted(UUID jobId, String status, int documents) {
    }

    @Operation(summary = "Delete a document: its bytes, texts, chunks, vectors, pipeline checkpoints and the cache "
            + "entries nothing else uses. An unfinished ingest of it is cancelled first. Requires Idempotency-Key. "
            + "200 with a receipt, or 202 with a DELETE_DOCUMENTS job for a large document.")
    @DeleteMapping(path = DocumentIntake.PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> delete(Caller caller, @PathVariable UUID id,
                             @Parameter(description = "Unique per deletion; a retry with the same key replays the answer")
                             @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                             HttpServletRequest request) {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        DocumentView document = documents.find(caller.tenant(), id, caller.documentViewer()).orElseThrow(() -> ApiProblem.notFound("document", id));
        if (document.chunkCount() > inlineMaxChunks) {
            Job job = deletions.request(caller.tenant(), List.of(id), idempotencyKey, TraceContext.of(request).traceParent());
            return ResponseEntity.accepted().header(HttpHeaders.LOCATION, "/api/v1/jobs/" + job.id())
                    .body(new Accepted(job.id(), job.status().name(), 1));
        }
        return ResponseEntity.ok(deletion.delete(caller.tenant(), id).map(Receipt::of)
                .orElseThrow(() -> ApiProblem.notFound("document", id)));
    }

    @Operation(summary = "Delete the documents matching {\"collection\"} and/or {\"documentIds\"} (the bulk re-ingest's "
            + "filter) as one DELETE_DOCUMENTS job. Requires Idempotency-Key. 202 with the job; 200 with documents 0 "
            + "when nothing matches; 404 when a listed id is not one of the tenant's documents (nothing is deleted).")
    @PostMapping(path = BULK_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> deleteMatching(Caller caller,
                                          @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                          @RequestBody(required = false) String body, HttpServletRequest request) {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        ReingestFilter filter = ReingestFilter.parse(body, json);
        String traceParent = TraceContext.of(request).traceParent();
        return idempotency.execute(IdempotentRequest.of(caller.tenant(), idempotencyKey, "POST", BULK_PATH, filter.fingerprint()),
                () -> {
                    List<UUID> ids = matches.find(caller.tenant(), caller.documentViewer(), filter);
                    if (ids.isEmpty()) return new StoredResponse(HttpStatus.OK.value(), Map.of(), write(new Accepted(null, null, 0)));
                    Job job = deletions.request(caller.tenant(), ids, idempotencyKey, traceParent);
                    return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, "/api/v1/jobs/" + job.id()),
                            write(new Accepted(job.id(), job.status().name(), ids.size())));
                });
    }

    private String write(Accepted accepted) {
        try {
            return json.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids and counts is always serializable", e);
        }
    }
}
