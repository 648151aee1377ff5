package dev.quarry.api.search;

import dev.quarry.search.QueryEmbeddingUsage;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.embedding.EmbeddingVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every query the API embeds is billed to its tenant, per day and version, once the buffer is flushed. */
class QueryEmbeddingUsageIT extends ApiIntegrationTest {
    @Autowired
    QueryEmbeddingUsage usage;
    @Autowired
    EmbeddingVersion version;

    @BeforeEach
    void noUsageYet() {
        usage.flush();
        jdbc.update("delete from embedding_usage");
    }

    private int search(String tenant, String query, String mode) {
        return get("/api/v1/search?mode=" + mode + "&q=" + query.replace(' ', '+'), TestTokens.forTenant(tenant))
                .statusCode();
    }

    @Test
    void embedded_queries_are_billed_per_tenant_and_keyword_queries_are_not() {
        assertThat(search("acme", "shock wave boundary layer", "hybrid")).isEqualTo(200);
        assertThat(search("acme", "heat transfer", "vector")).isEqualTo(200);
        assertThat(search("acme", "no embedding needed", "keyword")).isEqualTo(200);
        assertThat(search("globex", "buckling", "hybrid")).isEqualTo(200);

        usage.flush();

        Map<String, Object> acme = jdbc.queryForMap(
                "select version, calls, segments, tokens, cost_usd from embedding_usage where tenant_id = 'acme'");
        assertThat(acme).containsEntry("version", version.tag()).containsEntry("calls", 2L)
                .containsEntry("segments", 2L)
                .containsEntry("tokens", (long) ("shock wave boundary layer".length() + 3) / 4
                        + ("heat transfer".length() + 3) / 4);
        assertThat(jdbc.queryForObject("select calls from embedding_usage where tenant_id = 'globex'", Long.class))
                .isEqualTo(1L);
        usage.flush();
        assertThat(jdbc.queryForObject("select sum(calls) from embedding_usage", Long.class))
                .as("a flush writes each query once").isEqualTo(3L);
    }
}
