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
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How the ranking responds to BM25 statistics, query syntax, weights, time decay and reliability. */
class SearchRankingIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;
    @Autowired
    SearchProperties properties;
    private SearchCorpus corpus;

    @BeforeEach
    void corpus() {
        corpus = new SearchCorpus(jdbc, embeddings, version.tag());
    }

    private JsonNode search(String query, String extra) {
        return json(get("/api/v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + extra, token));
    }

    private static List<String> documentIds(JsonNode results) {
        return results.path("hits").findValuesAsText("documentId");
    }

    @Test
    void bm25_ranks_a_chunk_with_the_rarer_word_above_one_with_the_common_word() {
        // Inserted first, so that a ranking without idf (ts_rank ties) would put it on top by id.
        UUID common = corpus.add(SearchCorpus.Doc.of("acme", "common"), "the wing of the glider is long");
        for (int i = 0; i < 8; i++) {
            corpus.add(SearchCorpus.Doc.of("acme", "filler " + i), "a wing design number " + i + " for gliders");
        }
        UUID rare = corpus.add(SearchCorpus.Doc.of("acme", "rare"), "the aileron of the glider is long");

        JsonNode results = search("wing aileron", "&mode=keyword");

        assertThat(documentIds(results).get(0)).isEqualTo(rare.toString());
        assertThat(documentIds(results)).contains(common.toString());
        JsonNode hits = results.path("hits");
        assertThat(hits.get(0).path("keywordScore").asDouble()).isGreaterThan(hits.get(1).path("keywordScore").asDouble());
        assertThat(hits.get(0).path("vectorRank").isNull()).isTrue();
    }

    @Test
    void keyword_words_are_or_ed_plus_quoted_phrases_are_required_and_minus_excludes() {
        UUID both = corpus.add(SearchCorpus.Doc.of("acme", "both"), "supersonic flow over a thin wing");
        UUID one = corpus.add(SearchCorpus.Doc.of("acme", "one"), "supersonic aircraft at high altitude");
        UUID phrase = corpus.add(SearchCorpus.Doc.of("acme", "phrase"), "a boundary layer grows over the plate");
        UUID reversed = corpus.add(SearchCorpus.Doc.of("acme", "reversed"), "the layer boundary was measured");

        assertThat(documentIds(search("supersonic flow", "&mode=keyword")))
                .containsExactly(both.toString(), one.toString());
        assertThat(documentIds(search("supersonic -altitude", "&mode=keyword"))).containsExactly(both.toString());
        assertThat(documentIds(search("+\"boundary layer\"", "&mode=keyword"))).containsExactly(phrase.toString());
        // A bare quoted phrase in natural text boosts instead of filtering: the exact phrase ranks first.
        assertThat(documentIds(search("\"boundary layer\"", "&mode=keyword")))
                .containsExactly(phrase.toString(), reversed.toString());
        assertThat(documentIds(search("layer", "&mode=keyword")))
                .containsExactlyInAnyOrder(phrase.toString(), reversed.toString());
    }

    @Test
    void modes_run_only_their_leg_and_weights_move_the_fusion() {
        corpus.add(SearchCorpus.Doc.of("acme", "bread"), "Sourdough bread rises slowly thanks to wild yeast.");
        corpus.add(SearchCorpus.Doc.of("acme", "rock"), "Granite is an igneous rock formed from cooling magma.");

        JsonNode keyword = search("granite", "&mode=keyword");
        assertThat(keyword.path("mode").asText()).isEqualTo("keyword");
        assertThat(keyword.path("hits")).hasSize(1);
        assertThat(keyword.path("hits").get(0).path("vectorScore").isNull()).isTrue();

        JsonNode vector = search("granite", "&mode=vector");
        assertThat(vector.path("hits")).hasSize(2);
        vector.path("hits").forEach(hit -> assertThat(hit.path("keywordRank").isNull()).isTrue());
        assertThat(vector.path("hits").get(0).path("vectorScore").asDouble()).isPositive();

        JsonNode weighted = search("granite", "&keywordWeight=3&vectorWeight=0.5&rrfK=10");
        JsonNode top = weighted.path("hits").get(0);
        assertThat(top.path("fusedScore").asDouble()).isCloseTo(3.0 / 11 + 0.5 / 11,
                org.assertj.core.data.Offset.offset(1e-9));
        JsonNode onlyVector = search("granite", "&keywordWeight=0");
        assertThat(onlyVector.path("hits").get(1).path("fusedScore").asDouble())
                .isCloseTo(1.0 / (properties().rrfK() + 2), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void hybrid_feeds_its_best_hits_back_into_the_vector_query_when_asked_to_and_not_by_default() {
        corpus.add(SearchCorpus.Doc.of("acme", "rock"), "Granite is an igneous rock formed from cooling magma.");
        corpus.add(SearchCorpus.Doc.of("acme", "basalt"), "Basalt lava flows cool quickly into dark stone.");
        corpus.add(SearchCorpus.Doc.of("acme", "bread"), "Sourdough bread rises slowly thanks to wild yeast.");

        double plain = search("granite", "&mode=vector").path("hits").get(0).path("vectorScore").asDouble();
        JsonNode withoutFeedback = search("granite", "&feedback=0").path("hits").get(0);
        JsonNode byDefault = search("granite", "").path("hits").get(0);
        JsonNode withFeedback = search("granite", "&feedback=3").path("hits").get(0);

        assertThat(withoutFeedback.path("vectorScore").asDouble()).isEqualTo(plain);
        assertThat(byDefault.path("vectorScore").asDouble()).as("no feedback by default").isEqualTo(plain);
        assertThat(withFeedback.path("title").asText()).isEqualTo("rock");
        assertThat(withFeedback.path("vectorScore").asDouble()).as("similarity to the expanded query")
                .isGreaterThan(plain);
    }

    @Test
    void a_half_life_lets_a_recent_document_overtake_an_old_better_match() {
        UUID old = corpus.add(SearchCorpus.Doc.of("acme", "old").collection("news")
                .publishedAt(Instant.now().minus(Duration.ofDays(400))), "solar panel solar panel efficiency");
        UUID recent = corpus.add(SearchCorpus.Doc.of("acme", "recent").collection("news")
                .createdAt(Instant.now().minus(Duration.ofDays(1))), "solar panel efficiency report");

        assertThat(documentIds(search("solar panel", "&mode=keyword")).get(0)).isEqualTo(old.toString());
        JsonNode decayed = search("solar panel", "&mode=keyword&halfLife=P30D");
        assertThat(documentIds(decayed).get(0)).isEqualTo(recent.toString());
        assertThat(decayed.path("hits").get(1).path("decay").asDouble()).isLessThan(0.001);
        assertThat(decayed.path("hits").get(1).path("publishedAt").asText()).isNotBlank();

        // The collection's default applies when the request names none, and P0D turns it off.
        var put = send(request("/api/v1/collections/news/search-settings", TestTokens.forTenant("acme", "admin"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"halfLife\":\"P30D\"}")).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(put).path("halfLife").asText()).isEqualTo("PT720H");
        assertThat(documentIds(search("solar panel", "&mode=keyword")).get(0)).isEqualTo(recent.toString());
        assertThat(documentIds(search("solar panel", "&mode=keyword&halfLife=P0D")).get(0)).isEqualTo(old.toString());
    }

    @Test
    void an_uploads_published_date_is_stored_shown_and_what_decay_counts_from() {
        var response = upload(token, UUID.randomUUID().toString(), new dev.quarry.testing.MultipartBody()
                .file("file", "old.txt", "text/plain", "an old report".getBytes(StandardCharsets.UTF_8))
                .json("metadata", "{\"publishedAt\": \"2020-01-01T00:00:00Z\"}"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = json(response).path("documentId").asText();

        assertThat(json(get("/api/v1/documents/" + id, token)).path("publishedAt").asText())
                .isEqualTo("2020-01-01T00:00:00Z");
        assertThat(jdbc.queryForObject("select published_at < created_at from documents where id = ?::uuid",
                Boolean.class, id)).isTrue();
    }

    @Test
    void only_admins_change_collection_defaults() {
        var put = send(request("/api/v1/collections/news/search-settings", token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"halfLife\":\"P30D\"}")).build());
        assertProblem(put, 403, "forbidden");
        assertThat(json(get("/api/v1/collections/news/search-settings", token)).path("halfLife").isNull()).isTrue();
    }

    @Test
    void a_reliability_boost_lifts_verified_documents_and_every_hit_carries_its_tag() {
        UUID community = corpus.add(SearchCorpus.Doc.of("acme", "forum").reliability("community"),
                "turbine blade cooling turbine blade cooling");
        UUID verified = corpus.add(SearchCorpus.Doc.of("acme", "handbook").reliability("verified"),
                "turbine blade cooling");

        JsonNode plain = search("turbine blade cooling", "&mode=keyword");
        assertThat(documentIds(plain)).containsExactly(community.toString(), verified.toString());
        assertThat(plain.path("hits").findValuesAsText("reliability")).containsExactly("community", "verified");

        JsonNode boosted = search("turbine blade cooling", "&mode=keyword&reliabilityBoost=verified:2,unknown:0.5");
        assertThat(documentIds(boosted)).containsExactly(verified.toString(), community.toString());
        assertThat(boosted.path("hits").get(0).path("boost").asDouble()).isEqualTo(2.0);
        assertThat(boosted.path("hits").get(1).path("boost").asDouble()).isEqualTo(1.0);
    }

    @Test
    void snippets_highlight_query_words_and_escape_the_documents_markup() {
        corpus.add(SearchCorpus.Doc.of("acme", "html"),
                "Granite <script>alert(1)</script> is an igneous rock formed from slowly cooling magma.");

        String snippet = search("granite magma", "").path("hits").get(0).path("snippet").asText();

        assertThat(snippet).contains("<b>Granite</b>", "<b>magma</b>", "&lt;script&gt;");
        assertThat(snippet).doesNotContain("<script>");
    }

    private SearchProperties properties() {
        return properties;
    }
}
