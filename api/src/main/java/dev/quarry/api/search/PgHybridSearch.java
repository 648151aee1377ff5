package dev.quarry.api.search;

import com.pgvector.PGvector;
import dev.quarry.embedding.EmbeddingVersion;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Hybrid retrieval in one SQL statement: PostgreSQL full text (websearch syntax, ts_rank_cd over the GIN
 * index) and pgvector cosine distance (HNSW), each limited to the tenant, the active embedding version
 * and optionally a collection, fused by reciprocal rank.
 */
@Repository
class PgHybridSearch {
    private static final String SQL = """
            with keyword as (
                select c.id, ts_rank_cd(c.tsv, query) as score,
                       row_number() over (order by ts_rank_cd(c.tsv, query) desc, c.id) as rank
                from chunks c %1$s
                     cross join websearch_to_tsquery('english', :text) as query
                where c.tenant_id = :tenant and c.embedding_version = :version and c.tsv @@ query %2$s
                order by rank
                limit :candidates
            ), vector as (
                select id, 1 - distance as score, row_number() over (order by distance, id) as rank
                from (
                    select c.id, c.embedding <=> :embedding as distance
                    from chunks c %1$s
                    where c.tenant_id = :tenant and c.embedding_version = :version %2$s
                    order by c.embedding <=> :embedding
                    limit :candidates
                ) nearest
            ), fused as (
                select coalesce(k.id, v.id) as chunk_id,
                       k.score as keyword_score, k.rank as keyword_rank,
                       v.score as vector_score, v.rank as vector_rank,
                       coalesce(1.0 / (:rrf + k.rank), 0) + coalesce(1.0 / (:rrf + v.rank), 0) as score
                from keyword k full outer join vector v on v.id = k.id
            )
            select f.chunk_id, f.keyword_score, f.keyword_rank, f.vector_score, f.vector_rank, f.score,
                   c.document_id, c.ordinal, c.text, d.title
            from fused f
                 join chunks c on c.id = f.chunk_id
                 join documents d on d.id = c.document_id and d.tenant_id = c.tenant_id
            order by f.score desc, f.chunk_id
            limit :k""";
    private static final String COLLECTION_JOIN =
            "join documents d on d.id = c.document_id and d.tenant_id = c.tenant_id";
    private static final String COLLECTION_FILTER = "and d.collection = :collection";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final EmbeddingVersion version;
    private final SearchProperties properties;
    private volatile Boolean iterativeScan;

    PgHybridSearch(JdbcClient jdbc, TransactionTemplate transaction, EmbeddingVersion version,
                   SearchProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.version = version;
        this.properties = properties;
    }

    List<SearchHit> search(String tenant, String text, float[] embedding, String collection, int k) {
        String sql = collection == null ? SQL.formatted("", "") : SQL.formatted(COLLECTION_JOIN, COLLECTION_FILTER);
        return transaction.execute(status -> {
            // SET LOCAL semantics (is_local = true): the settings end with this transaction.
            jdbc.sql("select set_config('hnsw.ef_search', ?, true)").param(properties.efSearch().toString())
                    .query(String.class).single();
            if (supportsIterativeScan()) {
                // pgvector >= 0.8: keep scanning the graph until enough rows pass the tenant filter,
                // instead of returning fewer than asked when most neighbours belong to other tenants.
                jdbc.sql("select set_config('hnsw.iterative_scan', 'relaxed_order', true)")
                        .query(String.class).single();
            }
            var statement = jdbc.sql(sql)
                    .param("text", text)
                    .param("tenant", tenant)
                    .param("version", version.tag())
                    .param("embedding", new PGvector(embedding))
                    .param("candidates", properties.candidates())
                    .param("rrf", properties.rrfK())
                    .param("k", k);
            if (collection != null) statement = statement.param("collection", collection);
            return statement.query(this::map).list();
        });
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

    private SearchHit map(ResultSet rs, int row) throws SQLException {
        return new SearchHit(rs.getObject("document_id", UUID.class), rs.getString("title"), rs.getLong("chunk_id"),
                rs.getInt("ordinal"), rs.getString("text"), rs.getDouble("score"),
                nullableDouble(rs, "keyword_score"), nullableDouble(rs, "vector_score"),
                nullableInt(rs, "keyword_rank"), nullableInt(rs, "vector_rank"));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
