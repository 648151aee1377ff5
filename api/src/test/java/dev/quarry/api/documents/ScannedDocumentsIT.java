package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SampleFiles.Sample;
import dev.quarry.testing.ScannedPages;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scanned pages over the real API and a real worker process, whose Tika runs the installed tesseract: a PNG
 * and an image-only PDF, each drawn from its own known sentences, are accepted, ingested, and found first by
 * a search for one of those sentences. The scanned PDF has two pages, each reported as it is read.
 */
class ScannedDocumentsIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("ocr", Map.of("spring.datasource.hikari.maximum-pool-size", "10"));

    @Test
    void a_scanned_image_and_a_scanned_pdf_are_found_by_a_sentence_of_their_page() throws Exception {
        String token = TestTokens.forTenant("ocr");
        Map<String, Sample> scans = new LinkedHashMap<>();
        scans.put("the copper heron guards the eastern sluice at dawn", ScannedPages.image("png", "image/png",
                "The copper heron guards the eastern sluice at dawn.", "Nobody feeds it on holidays."));
        scans.put("gravel trucks leave the northern pit before sunrise", ScannedPages.pdfPages(
                "Gravel trucks leave the northern pit before sunrise.", "The weighbridge closes at six."));
        Map<String, JsonNode> accepted = new LinkedHashMap<>();
        for (var scan : scans.entrySet()) {
            Sample sample = scan.getValue();
            HttpResponse<String> response = upload(token, UUID.randomUUID().toString(),
                    new MultipartBody().file("file", sample.filename(), "application/octet-stream", sample.bytes()));
            assertThat(response.statusCode()).as(sample.filename() + ": " + response.body()).isEqualTo(202);
            accepted.put(scan.getKey(), json(response));
        }

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (JsonNode upload : accepted.values()) {
                JsonNode job = json(get("/api/v1/jobs/" + upload.get("jobId").asText(), token));
                assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
            }
        });

        for (var entry : accepted.entrySet()) {
            String q = URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8);
            JsonNode hits = json(get("/api/v1/search?k=5&q=" + q, token)).get("hits");
            assertThat(hits).as(entry.getKey()).isNotEmpty();
            assertThat(hits.get(0).get("documentId").asText()).as("top hit for " + entry.getKey() + ": " + hits)
                    .isEqualTo(entry.getValue().get("documentId").asText());
            assertThat(hits.get(0).get("text").asText().toLowerCase().replaceAll("\\s+", " ")).contains(entry.getKey());
        }
        // The two-page scan: a progress event of the extract step per page read, then the step's end with the total.
        assertThat(jdbc.queryForList("""
                select (data->>'ocrPages')::int from job_events
                where job_id = ?::uuid and type = 'progress' and data->>'step' = 'extract' and data->>'ocrPages' is not null
                order by id""", Integer.class, accepted.get("gravel trucks leave the northern pit before sunrise")
                .get("jobId").asText())).containsExactly(1, 2, 2);
    }
}
