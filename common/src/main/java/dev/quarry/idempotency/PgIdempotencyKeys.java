package dev.quarry.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one owner of {@code idempotency_keys}: the API's Idempotency-Key handling claims and completes
 * records, the worker's recurring job purges expired ones. A record is IN_FLIGHT while the request that
 * claimed it runs and COMPLETED with its stored response afterwards.
 *
 * <p>Claim, lock and complete run inside the request's transaction: a claim is released by rolling that
 * transaction back, which leaves no record, so a failed request never blocks its key. A record past its
 * expiry counts as absent everywhere, whether or not the purge has deleted it yet.
 */
@Repository
public class PgIdempotencyKeys {
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    PgIdempotencyKeys(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A completed request's outcome under a key. */
    public record Completed(String fingerprint, int status, Map<String, String> headers, String body) {
    }

    /**
     * Takes the key's transaction-scoped advisory lock, without waiting. Inside a transaction only.
     *
     * @return false if another transaction holds it: a request with the key is in flight
     */
    public boolean tryLock(String tenant, String key) {
        return Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended(?, 0))")
                .param(lockName(tenant, key)).query(Boolean.class).single());
    }

    /**
     * Records the key as IN_FLIGHT for this transaction, replacing an expired record of it. Inside a
     * transaction that holds the key's lock ({@link #tryLock}).
     *
     * @return false if an unexpired record exists (a completed request to replay or reject)
     */
    public boolean claim(String tenant, String key, String fingerprint, Instant expiresAt) {
        jdbc.sql("delete from idempotency_keys where tenant_id = ? and key = ? and expires_at <= now()")
                .params(tenant, key).update();
        return jdbc.sql("""
                        insert into idempotency_keys (tenant_id, key, fingerprint, state, expires_at)
                        values (?, ?, ?, 'IN_FLIGHT', ?) on conflict do nothing""")
                .params(tenant, key, fingerprint, Timestamp.from(expiresAt))
                .update() == 1;
    }

    /** Stores the response of the request that claimed the key, in the claim's transaction. */
    public void complete(String tenant, String key, int status, Map<String, String> headers, String body) {
        jdbc.sql("""
                        update idempotency_keys set state = 'COMPLETED', response_status = ?,
                            response_body = ?, response_headers = ?::jsonb
                        where tenant_id = ? and key = ?""")
                .params(status, body, write(headers), tenant, key)
                .update();
    }

    /** The stored outcome of a completed, unexpired request under the key, whatever its fingerprint. */
    public Optional<Completed> completed(String tenant, String key) {
        return jdbc.sql("""
                        select fingerprint, response_status, response_body, response_headers::text as headers
                        from idempotency_keys
                        where tenant_id = ? and key = ? and state = 'COMPLETED' and expires_at > now()""")
                .params(tenant, key)
                .query((rs, row) -> new Completed(rs.getString("fingerprint"), rs.getInt("response_status"),
                        read(rs.getString("headers")), rs.getString("response_body")))
                .optional();
    }

    /**
     * Deletes at most {@code batch} expired records of every tenant, so that one statement never locks
     * many rows. @return how many it deleted
     */
    public int purgeExpired(int batch) {
        return jdbc.sql("""
                        delete from idempotency_keys where ctid in (
                            select ctid from idempotency_keys where expires_at <= now() limit ?)""")
                .param(batch).update();
    }

    /**
     * The advisory lock's name. Length-prefixed so that tenant "a" + key "b:c" and tenant "a:b" + key "c"
     * differ; hashed to 64 bits, where a collision would only make one request answer 409 needlessly.
     */
    public static String lockName(String tenant, String key) {
        return tenant.length() + ":" + tenant + key;
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

    /**
     * Deletes the tenant's records whose stored response mentions {@code text} (e.g. an erased document's id),
     * before they expire: a replay must not hand back a reference to what was erased.
     */
    public int forgetResponsesMentioning(String tenant, String text) {
        return jdbc.sql("delete from idempotency_keys where tenant_id = ? and strpos(response_body, ?) > 0")
                .params(tenant, text).update();
    }
}
