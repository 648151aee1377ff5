package dev.quarry.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the text of a query acts: quotes inside a natural-language question boost, a plus requires, and a
 * pasted paragraph up to 8,000 characters is searched whole, words at its end included.
 */
class QueryTextIT extends ApiIntegrationTest {
    private static final String TENANT = "quotes";
    private final String token = TestTokens.forTenant(TENANT);
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;

    @BeforeEach
    void corpus() {
        var corpus = new SearchCorpus(jdbc, embeddings, version.tag());
        corpus.add(SearchCorpus.Doc.of(TENANT, "phrase").source("phrase"),
                "The training phase of the classifier took three weeks on the cluster.");
        corpus.add(SearchCorpus.Doc.of(TENANT, "words").source("words"),
                "Classifier training was quick; the next phase, deployment, took three weeks.");
        corpus.add(SearchCorpus.Doc.of(TENANT, "other").source("other"),
                "Granite countertops resist heat and scratches in a busy kitchen.");
    }

    @Test
    void a_quoted_phrase_in_a_question_boosts_its_chunks_but_filters_nothing() {
        List<String> hits = sources("how long did the \"training phase\" of the classifier take", "keyword");
        assertThat(hits).containsExactly("phrase", "words");
    }

    @Test
    void a_plus_requires_the_phrase() {
        assertThat(sources("how long did the +\"training phase\" of the classifier take", "keyword"))
                .containsExactly("phrase");
        assertThat(sources("+granite classifier", "keyword")).containsExactly("other");
    }

    @Test
    void the_end_of_a_long_pasted_query_still_counts() {
        String filler = "Our team met on Monday to plan the quarterly review and agreed on the agenda. ";
        StringBuilder q = new StringBuilder();
        while (q.length() < 7900) q.append(filler);
        q.setLength(7900);
        q.append(" granite countertops in the kitchen");
        assertThat(q.length()).isLessThanOrEqualTo(8000);
        assertThat(sources(q.toString(), "keyword")).containsExactly("other");
        // The model's tokenizer cuts at 512 word pieces: embedded whole, the filler alone would decide the
        // embedding and the tail could not move it (measured: both scores 0.0182). Fused windows let it, by
        // its share of the words (one window in ten here; measured 0.0179 → 0.0248).
        double withTail = vectorScore(q.toString(), "other");
        double fillerOnly = vectorScore(q.substring(0, 7900), "other");
        assertThat(withTail).isGreaterThan(fillerOnly + 0.003);
    }

    private double vectorScore(String q, String source) {
        var response = get("/api/v1/search?mode=vector&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), token);
        for (JsonNode hit : json(response).path("hits")) {
            if (hit.path("source").asText().equals(source)) return hit.path("vectorScore").asDouble();
        }
        throw new AssertionError(source + " not among the hits: " + response.body());
    }

    @ParameterizedTest
    @ValueSource(ints = {8001, 20000})
    void a_query_over_8000_characters_is_a_clear_400(int length) {
        String q = "granite ".repeat(length / 8 + 1).substring(0, length);
        assertProblem(get("/api/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), token), 400,
                "invalid-parameter");
    }

    private List<String> sources(String q, String mode) {
        var response = get("/api/v1/search?mode=" + mode + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json(response);
        List<String> sources = new ArrayList<>();
        results.path("hits").forEach(hit -> sources.add(hit.path("source").asText()));
        return sources;
    }
}
