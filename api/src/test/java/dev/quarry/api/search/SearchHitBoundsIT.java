package dev.quarry.api.search;

import dev.quarry.search.PgHitDetails;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response is bounded by k, not by what was stored: chunks of megabytes (as written before the ingest
 * bounded chunk characters) come back cut to {@link PgHitDetails#MAX_HIT_CHARS}, snippet included.
 */
class SearchHitBoundsIT extends ApiIntegrationTest {
    private static final int HUGE = 3_000_000;
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;

    @Test
    void hits_of_megabyte_chunks_carry_bounded_text_and_snippets() {
        SearchCorpus corpus = new SearchCorpus(jdbc, embeddings, version.tag());
        float[] vector = corpus.embed("A granite quarry survey");
        String oneWord = "granite " + "G".repeat(HUGE);
        String prose = "The granite quarry survey. ".repeat(HUGE / 27);
        corpus.add(SearchCorpus.Doc.of("bounds", "Blob"), List.of(oneWord, prose), List.of(vector, vector));

        HttpResponse<String> response = get("/api/v1/search?q=granite%20quarry&k=2", TestTokens.forTenant("bounds"));

        JsonNode hits = json(response).path("hits");
        assertThat(hits).hasSize(2);
        for (JsonNode hit : hits) {
            assertThat(hit.path("text").asText().length()).isLessThanOrEqualTo(PgHitDetails.MAX_HIT_CHARS);
            assertThat(hit.path("snippet").asText().length()).isLessThanOrEqualTo(5 * PgHitDetails.MAX_HIT_CHARS);
        }
        assertThat(response.body().length()).isLessThan(2 * 6 * PgHitDetails.MAX_HIT_CHARS + 4096);
    }
}
