package dev.quarry.api.idempotency;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.idempotency.PgIdempotencyKeys;
import dev.quarry.api.web.ProblemKind;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a mutating request at most once per (tenant, Idempotency-Key), reusable by every endpoint that
 * takes a key.
 *
 * <p>The work runs in the same transaction that inserts the key's record and stores its response, so a
 * key is never recorded without its effects, nor effects without their key; a rollback leaves nothing.
 * Concurrency: inside that transaction a request first takes a transaction-scoped advisory lock on the
 * key. If another request holds it, that one is in flight: 409. Otherwise it inserts the record
 * {@code ON CONFLICT DO NOTHING}: one row inserted means this request does the work; none means an
 * earlier request completed, and its stored response is replayed (or 422 if the fingerprint differs).
 * Without the try-lock a duplicate would block on the uncommitted row instead of answering 409. The
 * records themselves are common's {@link PgIdempotencyKeys}, which the worker's purge shares.
 */
@Component
public class IdempotencyKeys {
    private final PgIdempotencyKeys records;
    private final TransactionTemplate transaction;
    private final IdempotencyProperties properties;

    IdempotencyKeys(PgIdempotencyKeys records, TransactionTemplate transaction, IdempotencyProperties properties) {
        this.records = records;
        this.transaction = transaction;
        this.properties = properties;
    }

    /**
     * Answers {@code request}: replays a stored response, rejects a conflicting one, or runs {@code work}
     * (inside the transaction; register after-commit actions on it for effects outside PostgreSQL).
     *
     * @throws ApiProblem 409 while another request with the key is in flight, 422 for a reused key
     */
    public ResponseEntity<String> execute(IdempotentRequest request, Supplier<StoredResponse> work) {
        if (guardedByFilter()) return entity(work.get(), false); // the key's transaction is already open
        // Fast path for retries of completed requests: no transaction, no lock.
        Optional<ResponseEntity<String>> replay = completed(request).map(stored -> replay(request, stored));
        if (replay.isPresent()) return replay.get();
        return transaction.execute(status -> {
            if (!records.tryLock(request.tenant(), request.key())) {
                throw new ApiProblem(ProblemKind.IDEMPOTENCY_REQUEST_IN_FLIGHT,
                        "a request with this Idempotency-Key is still being processed; retry shortly");
            }
            if (!records.claim(request.tenant(), request.key(), request.fingerprint(),
                    Instant.now().plus(properties.ttl()))) {
                // Completed between our fast-path read and the lock.
                return completed(request).map(stored -> replay(request, stored)).orElseThrow(() ->
                        new ApiProblem(ProblemKind.IDEMPOTENCY_REQUEST_IN_FLIGHT,
                                "a request with this Idempotency-Key is still being processed; retry shortly"));
            }
            StoredResponse response = work.get();
            records.complete(request.tenant(), request.key(), response.status(), response.headers(), response.body());
            return entity(response, false);
        });
    }

    private Optional<PgIdempotencyKeys.Completed> completed(IdempotentRequest request) {
        return records.completed(request.tenant(), request.key());
    }

    private ResponseEntity<String> replay(IdempotentRequest request, PgIdempotencyKeys.Completed stored) {
        if (!stored.fingerprint().equals(request.fingerprint())) {
            throw new ApiProblem(ProblemKind.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was already used for a different request; use a new key");
        }
        return entity(new StoredResponse(stored.status(), stored.headers(), stored.body()), true);
    }

    /** True inside a request whose key {@link IdempotencyFilter} guards: its transaction is already open. */
    private static boolean guardedByFilter() {
        return RequestContextHolder.getRequestAttributes() != null && Boolean.TRUE.equals(RequestContextHolder
                .getRequestAttributes().getAttribute(IdempotencyFilter.GUARDED, RequestAttributes.SCOPE_REQUEST));
    }

    static ResponseEntity<String> entity(StoredResponse response, boolean replayed) {
        HttpHeaders headers = new HttpHeaders();
        response.headers().forEach(headers::set);
        if (headers.getContentType() == null && !response.body().isEmpty()) {
            headers.setContentType(MediaType.APPLICATION_JSON);
        }
        if (replayed) headers.set(IdempotencyKeyHeader.REPLAYED, "true");
        return ResponseEntity.status(response.status()).headers(headers).body(response.body());
    }
}
