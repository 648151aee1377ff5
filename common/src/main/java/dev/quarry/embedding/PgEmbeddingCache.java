package dev.quarry.embedding;

import com.pgvector.PGvector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code embedding_cache}: vectors by tenant, embedding version and the SHA-256 of the chunk text they
 * embed. Chunk texts are already normalized and scrubbed, so equal texts are equal inputs to the model.
 * Entries are written outside the store transaction, batch by batch, so that the work of an attempt that
 * is cancelled or crashes is not lost: the next attempt finds those vectors here.
 */
@Repository
class PgEmbeddingCache {
    private final JdbcTemplate jdbc;

    PgEmbeddingCache(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The cached vectors among {@code keys} (see {@link #key}), by key. */
    Map<String, float[]> find(String tenantId, String version, List<String> keys) {
        Map<String, float[]> found = new HashMap<>();
        if (keys.isEmpty()) return found;
        jdbc.query("""
                        select text_sha256, embedding::text from embedding_cache
                        where tenant_id = ? and embedding_version = ? and text_sha256 = any(?::text[])""",
                rs -> {
                    found.put(rs.getString(1), new PGvector(rs.getString(2)).toArray());
                }, tenantId, version, keys.toArray(String[]::new));
        return found;
    }

    /** Adds vectors; a key cached meanwhile by another job keeps its first vector (they are equal). */
    void put(String tenantId, String version, Map<String, float[]> vectors) {
        List<Map.Entry<String, float[]>> rows = new ArrayList<>(vectors.entrySet());
        jdbc.batchUpdate("""
                        insert into embedding_cache (tenant_id, embedding_version, text_sha256, embedding)
                        values (?, ?, ?, ?) on conflict do nothing""",
                rows, 256, (ps, row) -> {
                    ps.setString(1, tenantId);
                    ps.setString(2, version);
                    ps.setString(3, row.getKey());
                    ps.setObject(4, new PGvector(row.getValue()));
                });
    }

    /** The cache key of a chunk text: its SHA-256, in hex. */
    static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
