package dev.quarry.api.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * Without the try-lock a duplicate would block on the uncommitted row instead of answering 409.
 */
@Component
public class IdempotencyKeys {
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final IdempotencyProperties properties;

    IdempotencyKeys(JdbcClient jdbc, TransactionTemplate transaction, ObjectMapper json,
                    IdempotencyProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
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
            if (!tryLock(request)) {
                throw new ApiProblem(ProblemKind.IDEMPOTENCY_REQUEST_IN_FLIGHT,
                        "a request with this Idempotency-Key is still being processed; retry shortly");
            }
            jdbc.sql("delete from idempotency_keys where tenant_id = ? and key = ? and expires_at <= now()")
                    .params(request.tenant(), request.key()).update();
            int inserted = jdbc.sql("""
                            insert into idempotency_keys (tenant_id, key, fingerprint, state, expires_at)
                            values (?, ?, ?, 'IN_FLIGHT', ?) on conflict do nothing""")
                    .params(request.tenant(), request.key(), request.fingerprint(),
                            Timestamp.from(Instant.now().plus(properties.ttl())))
                    .update();
            if (inserted == 0) {
                // Completed between our fast-path read and the lock.
                return completed(request).map(stored -> replay(request, stored)).orElseThrow(() ->
                        new ApiProblem(ProblemKind.IDEMPOTENCY_REQUEST_IN_FLIGHT,
                                "a request with this Idempotency-Key is still being processed; retry shortly"));
            }
            StoredResponse response = work.get();
            jdbc.sql("""
                            update idempotency_keys set state = 'COMPLETED', response_status = ?,
                                response_body = ?, response_headers = ?::jsonb
                            where tenant_id = ? and key = ?""")
                    .params(response.status(), response.body(), write(response.headers()), request.tenant(),
                            request.key())
                    .update();
            return entity(response, false);
        });
    }

    /** The stored outcome of a completed, unexpired request under the key, whatever its fingerprint. */
    private Optional<Stored> completed(IdempotentRequest request) {
        return jdbc.sql("""
                        select fingerprint, response_status, response_body, response_headers::text as headers
                        from idempotency_keys
                        where tenant_id = ? and key = ? and state = 'COMPLETED' and expires_at > now()""")
                .params(request.tenant(), request.key())
                .query((rs, row) -> new Stored(rs.getString("fingerprint"), new StoredResponse(
                        rs.getInt("response_status"), read(rs.getString("headers")), rs.getString("response_body"))))
                .optional();
    }

    private ResponseEntity<String> replay(IdempotentRequest request, Stored stored) {
        if (!stored.fingerprint().equals(request.fingerprint())) {
            throw new ApiProblem(ProblemKind.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was already used for a different request; use a new key");
        }
        return entity(stored.response(), true);
    }

    private boolean tryLock(IdempotentRequest request) {
        return Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended(?, 0))")
                .param(lockName(request.tenant(), request.key())).query(Boolean.class).single());
    }

    /**
     * The advisory lock's name. Length-prefixed so that tenant "a" + key "b:c" and tenant "a:b" + key "c"
     * differ; hashed to 64 bits, where a collision would only make one request answer 409 needlessly.
     */
    static String lockName(String tenant, String key) {
        return tenant.length() + ":" + tenant + key;
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

    private String write(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers are not serializable", e);
        }
    }

    private Map<String, String> read(String headers) {
        if (headers == null) return Map.of();
        try {
            return new LinkedHashMap<>(json.readValue(headers, HEADERS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt stored headers", e);
        }
    }

    private record Stored(String fingerprint, StoredResponse response) {
    }
}
