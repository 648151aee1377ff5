package dev.quarry.api.documents;

import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.deletion.DocumentDeleted;
import dev.quarry.deletion.DocumentDeletion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.UUID;

/**
 * Deletes one document and everything derived from it ({@link DocumentDeletion}). The answer is a receipt;
 * the Idempotency-Key makes a retried delete replay that receipt instead of answering 404.
 */
@RestController
class DocumentDeletionController {
    private final DocumentDeletion deletion;

    DocumentDeletionController(DocumentDeletion deletion) {
        this.deletion = deletion;
    }

    record Receipt(UUID documentId, int chunks, int cacheEntries, int jobsCancelled, Instant deletedAt) {
        static Receipt of(DocumentDeleted deleted) {
            return new Receipt(deleted.documentId(), deleted.chunks(), deleted.cacheEntries(), deleted.jobsCancelled(),
                    Instant.now());
        }
    }

    @Operation(summary = "Delete a document: its bytes, texts, chunks, vectors, pipeline checkpoints and the cache "
            + "entries nothing else uses. An unfinished ingest of it is cancelled first. Requires Idempotency-Key.")
    @DeleteMapping(path = DocumentIntake.PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Receipt delete(Caller caller, @PathVariable UUID id,
                   @Parameter(description = "Unique per deletion; a retry with the same key replays the receipt")
                   @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key) {
        IdempotencyKeyHeader.require(key);
        return deletion.delete(caller.tenant(), id).map(Receipt::of)
                .orElseThrow(() -> ApiProblem.notFound("document", id));
    }
}
