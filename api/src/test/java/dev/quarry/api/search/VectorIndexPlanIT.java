package dev.quarry.api.search;

import dev.quarry.search.PgVectorLeg;
import dev.quarry.search.SearchFilters;
import com.pgvector.PGvector;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.embedding.EmbeddingVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions of different dimensions share the chunks table, each with its own partial HNSW index over the
 * column cast to its dimensions. The vector leg's own SQL must be able to use the index of the version it
 * searches: checked with EXPLAIN, sorts disabled so that the tiny table does not make the planner prefer
 * sorting the few rows anyway (a plan that cannot use the index would still show the sort).
 */
class VectorIndexPlanIT extends ApiIntegrationTest {
    private static final EmbeddingVersion SMALL = new EmbeddingVersion("all-minilm-l6-v2-q@1", 384);
    private static final EmbeddingVersion LARGE = new EmbeddingVersion("plan-test-1536@1", 1536);
    private final Random random = new Random(7);
    @Autowired
    JdbcClient client;
    @Autowired
    TransactionTemplate transaction;

    @BeforeEach
    void twoVersionsOfDifferentDimensions() {
        for (EmbeddingVersion version : List.of(SMALL, LARGE)) {
            jdbc.queryForObject("select quarry_register_embedding_version(?, ?)::text", String.class, version.tag(),
                    version.dimensions());
        }
        UUID document = UUID.randomUUID();
        jdbc.update("""
                insert into documents (id, tenant_id, title, media_type, size_bytes, content_sha256, status)
                values (?, 'plan', 'plan', 'text/plain', 1, 'x', 'INDEXED')""", document);
        for (int ordinal = 0; ordinal < 20; ordinal++) {
            for (EmbeddingVersion version : List.of(SMALL, LARGE)) {
                jdbc.update("""
                        insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                        values ('plan', ?, ?, 'text', 1, ?, ?)""", document, ordinal,
                        new PGvector(vector(version.dimensions())), version.tag());
            }
        }
    }

    @Test
    void each_version_is_searched_through_its_own_index() {
        for (EmbeddingVersion version : List.of(SMALL, LARGE)) {
            String index = jdbc.queryForObject("select index_name from embedding_versions where tag = ?", String.class,
                    version.tag());
            String plan = String.join("\n", explain(version));
            assertThat(plan).as(version.tag()).contains("Index Scan using " + index + " on chunks");
        }
    }

    @Test
    void a_vector_of_the_wrong_dimensions_for_its_version_is_rejected_by_the_index() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> jdbc.update("""
                insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                select 'plan', document_id, 99, 'text', 1, ?, ? from chunks limit 1""",
                new PGvector(vector(384)), LARGE.tag()))).hasMessageContaining("expected 1536 dimensions");
    }

    private List<String> explain(EmbeddingVersion version) {
        return transaction.execute(status -> {
            // Without sorts, only an index that yields chunks in distance order can answer the ORDER BY.
            client.sql("select set_config('enable_sort', 'off', true)").query(String.class).single();
            var statement = client.sql("explain " + PgVectorLeg.sql(version, SearchFilters.NONE))
                    .param("tenant", "plan")
                    .param("embedding", new PGvector(vector(version.dimensions())))
                    .param("candidates", 10);
            return SearchFilters.NONE.bind(statement).query(String.class).list();
        });
    }

    private float[] vector(int dimensions) {
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) v[i] = random.nextFloat() - 0.5f;
        return v;
    }
}
