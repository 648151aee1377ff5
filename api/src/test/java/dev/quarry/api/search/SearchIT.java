package dev.quarry.api.search;

import dev.quarry.search.SearchProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.embedding.EmbeddingVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunks are stored as the worker would store them, with real embeddings from the same model bean. */
class SearchIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;
    @Autowired
    SearchProperties properties;

    private UUID geology;
    private UUID cooking;

    @BeforeEach
    void corpus() {
        geology = document("acme", "Rocks", "science", List.of(
                "Granite is an igneous rock formed from slowly cooling magma deep underground.",
                "Sedimentary layers record millions of years of deposition in ancient seas."));
        cooking = document("acme", "Bread", "kitchen", List.of(
                "Knead the dough for ten minutes until it is smooth and elastic.",
                "Sourdough bread rises slowly thanks to wild yeast and lactic bacteria."));
        document("globex", "Globex rocks", "science", List.of(
                "Granite is an igneous rock formed from slowly cooling magma deep underground."));
    }

    private UUID document(String tenant, String title, String collection, List<String> chunks) {
        return new SearchCorpus(jdbc, embeddings, version.tag())
                .add(SearchCorpus.Doc.of(tenant, title).collection(collection), chunks.toArray(String[]::new));
    }

    private JsonNode search(String query) {
        return json(get("/api/v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8), token));
    }

    @Test
    void a_phrase_finds_its_chunk_first_with_both_partial_scores() {
        JsonNode results = search("igneous rock from cooling magma");

        JsonNode top = results.path("hits").get(0);
        assertThat(top.path("documentId").asText()).isEqualTo(geology.toString());
        assertThat(top.path("title").asText()).isEqualTo("Rocks");
        assertThat(top.path("ordinal").asInt()).isZero();
        assertThat(top.path("text").asText()).startsWith("Granite is an igneous rock");
        assertThat(top.path("keywordRank").asInt()).isEqualTo(1);
        assertThat(top.path("vectorRank").asInt()).isEqualTo(1);
        assertThat(top.path("keywordScore").asDouble()).isPositive();
        assertThat(top.path("vectorScore").asDouble()).isBetween(0.5, 1.0);
        double fused = (properties.keywordWeight() + properties.vectorWeight()) / (properties.rrfK() + 1);
        assertThat(top.path("fusedScore").asDouble()).isCloseTo(fused, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(top.path("score").asDouble()).isCloseTo(fused, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(top.path("decay").asDouble()).isEqualTo(1.0);
        assertThat(top.path("boost").asDouble()).isEqualTo(1.0);
        assertThat(top.path("reliability").asText()).isEqualTo("unknown");
        assertThat(results.path("embeddingVersion").asText()).isEqualTo(version.tag());
    }

    @Test
    void semantic_matches_without_shared_words_come_from_the_vector_leg() {
        JsonNode top = search("baking a loaf with natural leaven").path("hits").get(0);

        assertThat(top.path("documentId").asText()).isEqualTo(cooking.toString());
        assertThat(top.path("vectorRank").asInt()).isEqualTo(1);
    }

    @Test
    void hits_never_cross_tenants_collections_or_embedding_versions() {
        jdbc.update("update chunks set embedding_version = 'retired@0' where document_id = ? and ordinal = 1", geology);

        JsonNode all = search("granite rock magma sedimentary");
        assertThat(all.path("hits").findValuesAsText("documentId")).doesNotContain(
                jdbc.queryForObject("select id::text from documents where tenant_id = 'globex'", String.class));
        assertThat(all.path("hits").findValuesAsText("text")).noneMatch(text -> text.startsWith("Sedimentary"));

        JsonNode kitchen = json(get("/api/v1/search?q=granite&collection=kitchen", token));
        assertThat(kitchen.path("hits").findValuesAsText("documentId")).containsOnly(cooking.toString());
        assertThat(kitchen.path("collection").asText()).isEqualTo("kitchen");
    }

    @Test
    void k_limits_the_hits() {
        assertThat(json(get("/api/v1/search?q=bread&k=1", token)).path("hits")).hasSize(1);
        assertThat(json(get("/api/v1/search?q=bread&k=100", token)).path("hits")).hasSize(4);
    }

    @Test
    void bad_queries_are_problems() {
        assertProblem(get("/api/v1/search", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/search?q=%20%20", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/search?q=x&k=0", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/search?q=x&k=101", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/search?q=x&k=many", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/search?q=" + "a".repeat(8001), token), 400, "invalid-parameter");
    }

    @Test
    void query_syntax_that_full_text_cannot_parse_is_not_an_error() {
        assertThat(get("/api/v1/search?q=" + URLEncoder.encode("\"unclosed OR -( ) & | !", StandardCharsets.UTF_8),
                token).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/search?q=the", token).statusCode()).isEqualTo(200);
    }
}
