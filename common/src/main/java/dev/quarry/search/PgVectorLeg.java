package dev.quarry.search;

import com.pgvector.PGvector;
import dev.quarry.embedding.EmbeddingVersion;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * The vector leg: cosine distance over the version's HNSW index, with the tenant, embedding version and
 * every filter inside the query. Each version has its own partial index on the column cast to its
 * dimensions, so the query casts the same way and names the version as a literal: with a bind parameter
 * a generic plan could not prove the index's predicate and would scan the table. With pgvector 0.8's
 * iterative scan the index keeps walking the graph until enough rows pass the filters, so a selective
 * filter never starves the leg.
 */
@Repository
public class PgVectorLeg {
    // relaxed_order may return rows slightly out of distance order; the outer query puts them back.
    private static final String SQL = """
            with top as materialized (
                select c.id as chunk_id, c.document_id, c.embedding::%1$s <=> :embedding as distance,
                       d.reliability, d.collection, coalesce(d.published_at, d.created_at) as dated
                from chunks c
                     join documents d on d.id = c.document_id and d.tenant_id = c.tenant_id
                where c.tenant_id = :tenant and c.embedding_version = %2$s %3$s
                order by c.embedding::%1$s <=> :embedding
                limit :candidates
            )
            select chunk_id, document_id, 1 - distance as score, reliability, collection, dated
            from top
            order by distance, chunk_id""";

    private static final String SETTINGS =
            "select set_config('hnsw.ef_search', ?, true), set_config('plan_cache_mode', 'force_custom_plan', true)";
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final SearchProperties properties;
    private volatile Boolean iterativeScan;

    PgVectorLeg(JdbcClient jdbc, TransactionTemplate transaction, SearchProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
    }

    List<LegHit> search(String tenant, EmbeddingVersion version, float[] embedding, SearchFilters filters,
                        int candidates) {
        return transaction.execute(status -> {
            // is_local = true: like SET LOCAL, the settings end with this transaction; one round trip.
            // plan_cache_mode: a generic plan (the driver prepares this statement, and PostgreSQL switches to
            // a generic plan after five runs) guesses the tenant's share of chunks as 1/tenants; for a tenant
            // that holds most of them it then sorts every row (576 ms at 100,000 chunks) instead of walking
            // the index (11 ms).
            String efSearch = Integer.toString(Math.max(properties.efSearch(), candidates));
            // hnsw.iterative_scan exists from pgvector 0.8 on, and setting an unknown hnsw.* parameter fails.
            jdbc.sql(supportsIterativeScan() ? SETTINGS + ", set_config('hnsw.iterative_scan', 'relaxed_order', true)"
                            : SETTINGS)
                    .param(efSearch).query((rs, row) -> rs.getString(1)).single();
            var statement = jdbc.sql(sql(version, filters))
                    .param("tenant", tenant)
                    .param("embedding", new PGvector(embedding))
                    .param("candidates", candidates);
            return filters.bind(statement).query(LegRows::map).list();
        });
    }

    public static String sql(EmbeddingVersion version, SearchFilters filters) {
        return SQL.formatted(version.sqlCast(), version.sqlLiteral(), filters.sql());
    }

    /** The stored embeddings of the tenant's chunks among {@code chunkIds}, in no particular order. */
    List<float[]> embeddings(String tenant, String version, List<Long> chunkIds) {
        return jdbc.sql("""
                        select embedding::text from chunks
                        where tenant_id = :tenant and embedding_version = :version
                          and id = any(cast(:ids as bigint[]))""")
                .param("tenant", tenant).param("version", version).param("ids", chunkIds.toArray(Long[]::new))
                .query((rs, row) -> toArray(rs.getString(1))).list();
    }

    private static float[] toArray(String text) {
        try {
            return new PGvector(text).toArray();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("unreadable vector from PostgreSQL", e);
        }
    }

    private boolean supportsIterativeScan() {
        Boolean supported = iterativeScan;
        if (supported == null) {
            String extversion = jdbc.sql("select extversion from pg_extension where extname = 'vector'")
                    .query(String.class).optional().orElse("0");
            supported = atLeast(extversion, 0, 8);
            iterativeScan = supported;
        }
        return supported;
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return actualMajor > major || (actualMajor == major && actualMinor >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
