package dev.quarry.api.search;

import dev.quarry.search.SearchProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.embedding.EmbeddingVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter, in every mode, is applied inside the legs' SQL: a selective filter still returns its
 * match even when more than a leg's worth of better matches lie outside it.
 */
class SearchFiltersIT extends ApiIntegrationTest {
    private static final String TEXT = "Granite is an igneous rock formed from slowly cooling magma.";
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;
    @Autowired
    SearchProperties properties;
    private UUID report;
    private UUID slides;

    @BeforeEach
    void corpus() {
        var corpus = new SearchCorpus(jdbc, embeddings, version.tag());
        // More identical best matches than a leg returns, all outside every filter below.
        int crowd = properties.candidates() + 20;
        float[] vector = corpus.embed(TEXT);
        for (int i = 0; i < crowd; i++) {
            corpus.add(SearchCorpus.Doc.of("acme", "crowd " + i).createdAt(Instant.parse("2024-06-01T00:00:00Z")),
                    List.of(TEXT), List.of(vector));
        }
        report = corpus.add(SearchCorpus.Doc.of("acme", "report").collection("geology").tags("field", "2023")
                .source("https://example.org/report").mediaType("application/pdf")
                .createdAt(Instant.parse("2023-03-01T00:00:00Z")), "Granite outcrops in the northern valley.");
        slides = corpus.add(SearchCorpus.Doc.of("acme", "slides").collection("geology").tags("field")
                .source("https://example.org/slides").mediaType("text/html")
                .createdAt(Instant.parse("2022-03-01T00:00:00Z")), "Granite quarries and their history.");
        // The token's user uploaded the report (documents.uploaded_by is its sub); nobody is recorded for the rest.
        jdbc.update("update documents set uploaded_by = 'user-acme' where id = ?", report);
    }

    private List<String> search(String mode, String filter) {
        JsonNode results = json(get("/api/v1/search?q=" + URLEncoder.encode("granite rock", StandardCharsets.UTF_8)
                + "&k=100&mode=" + mode + filter, token));
        assertThat(results.path("hits").isArray()).as(results.toString()).isTrue();
        return results.path("hits").findValuesAsText("documentId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hybrid", "keyword", "vector"})
    void each_filter_keeps_exactly_its_documents(String mode) {
        assertThat(search(mode, "&collection=geology")).containsExactlyInAnyOrder(ids(report, slides));
        assertThat(search(mode, "&tags=field,2023")).containsExactly(ids(report));
        assertThat(search(mode, "&tags=field&tags=2023")).containsExactly(ids(report));
        assertThat(search(mode, "&tags=field")).containsExactlyInAnyOrder(ids(report, slides));
        assertThat(search(mode, "&source=" + URLEncoder.encode("https://example.org/slides", StandardCharsets.UTF_8)))
                .containsExactly(ids(slides));
        assertThat(search(mode, "&mediaType=application/pdf")).containsExactly(ids(report));
        assertThat(search(mode, "&createdFrom=2023-01-01&createdTo=2024-01-01")).containsExactly(ids(report));
        assertThat(search(mode, "&createdTo=2023-01-01T00:00:00Z")).containsExactly(ids(slides));
        assertThat(search(mode, "&createdFrom=2023-03-01T00:00:00Z&collection=geology")).containsExactly(ids(report));
        assertThat(search(mode, "&collection=none")).isEmpty();
        assertThat(search(mode, "&scope=mine")).containsExactly(ids(report));
        assertThat(search(mode, "&scope=mine&collection=geology")).containsExactly(ids(report));
        String colleague = TestTokens.forSubject("colleague", "acme", List.of(), java.util.Map.of());
        assertThat(json(get("/api/v1/search?q=granite&mode=" + mode + "&scope=mine", colleague)).path("hits")).isEmpty();
        assertProblem(get("/api/v1/search?q=granite&scope=theirs", token), 400, "invalid-parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"keyword", "vector"})
    void without_filters_the_crowd_fills_the_leg(String mode) {
        List<String> hits = search(mode, "");
        assertThat(hits).hasSize(100);
        List<String> filtered = new ArrayList<>(hits);
        filtered.retainAll(List.of(ids(report, slides)));
        assertThat(filtered).as("the crowd outranks both documents").isEmpty();
        assertThat(Collections.frequency(hits, report.toString())).isZero();
    }

    private static String[] ids(UUID... ids) {
        return java.util.Arrays.stream(ids).map(UUID::toString).toArray(String[]::new);
    }
}
