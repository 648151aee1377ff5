package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The structure of a document survives ingest, through the real API and a real worker process: a search hit
 * carries the path of headings its chunk sits under, and a spreadsheet is chunked by whole rows under its
 * header. The worker's chunk window is small (30 word pieces), so that the three-row sheet needs several
 * chunks.
 */
class StructuredFormatsIngestIT extends ApiIntegrationTest {
    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("structured",
            Map.of("quarry.ingest.chunk-max-tokens", "30", "quarry.ingest.chunk-overlap-tokens", "5"));
    private final String token = TestTokens.forTenant("structured");

    @Test
    void a_search_hit_carries_the_section_path_of_its_chunk() {
        JsonNode guide = acceptSample(token, SampleFiles.produced("guide.docx", DOCX));
        awaitStatus(guide, "SUCCEEDED");

        JsonNode hits = json(get("/api/v1/search?k=5&q=" + URLEncoder.encode("cobalt lantern hums beside the northern gate",
                StandardCharsets.UTF_8), token)).path("hits");

        JsonNode first = hits.path(0);
        assertThat(first.path("documentId").asText()).as(hits.toString()).isEqualTo(guide.path("documentId").asText());
        assertThat(first.path("text").asText()).contains("The cobalt lantern hums beside the northern gate.");
        assertThat(first.path("sectionPath").asText()).isEqualTo("Field Guide > Install > Linux");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stations.xlsx", "stations.ods"})
    void a_spreadsheet_is_chunked_by_whole_rows_each_chunk_under_the_header(String file) {
        String mediaType = file.endsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                : "application/vnd.oasis.opendocument.spreadsheet";
        JsonNode sheet = acceptSample(token, SampleFiles.produced(file, mediaType));
        awaitStatus(sheet, "SUCCEEDED");

        List<String> chunks = jdbc.queryForList("select text from chunks where document_id = ?::uuid order by ordinal",
                String.class, sheet.path("documentId").asText());

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.lines().findFirst()).hasValue("station | city | note"));
        assertThat(chunks.stream().flatMap(chunk -> chunk.lines().skip(1)))
                .containsExactly("Alpha | Saffron Harbour | The tangerine ferry departs at noon",
                        "Beta | Copper Hill | The granite owl sleeps in the crusher",
                        "Gamma | Misty Ford | The velvet barometer predicts fog");
        JsonNode hits = json(get("/api/v1/search?k=3&q=" + URLEncoder.encode("granite owl sleeps", StandardCharsets.UTF_8), token)).path("hits");
        assertThat(StreamSupport.stream(hits.spliterator(), false)
                .filter(hit -> hit.path("documentId").asText().equals(sheet.path("documentId").asText()))
                .map(hit -> hit.path("text").asText()).findFirst())
                .hasValueSatisfying(text -> assertThat(text).startsWith("station | city | note\n")
                        .contains("Beta | Copper Hill | The granite owl sleeps in the crusher"));
    }

    private void awaitStatus(JsonNode accepted, String status) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(jobOf(token, accepted).path("status").asText()).as(jobOf(token, accepted).toString()).isEqualTo(status));
    }
}
