package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SampleFiles.Sample;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Files people actually have, through the real API and a real worker process: legacy charsets and the
 * office and publishing formats are accepted, ingested and found by a sentence of their own; a
 * password-protected file and a zip bomb are dead-lettered with their reason and leave no chunks.
 */
class FormatIngestIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("formats", Map.of());
    private final String token = TestTokens.forTenant("formats");

    @Test
    void legacy_charsets_and_office_formats_are_ingested_and_found_by_their_sentences() {
        Map<String, Sample> files = new LinkedHashMap<>();
        files.put("crème brûlée naïve résumé Zürich", new Sample("menu.txt", "text/plain",
                "Café crème brûlée, naïve résumé – the Zürich tasting menu.".getBytes(Charset.forName("windows-1252"))));
        files.put("hexagonal beehive wax cooperative", new Sample("bees.txt", "text/plain",
                "The hexagonal beehive wax cooperative meets at dawn.".getBytes(StandardCharsets.UTF_16LE)));
        files.put("cobalt lantern hums northern gate", SampleFiles.produced("guide.odt", "application/vnd.oasis.opendocument.text"));
        files.put("tangerine ferry departs at noon", SampleFiles.produced("stations.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        files.put("silver kestrel counts every lorry", SampleFiles.produced("slides.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"));
        files.put("walnut drawbridge opens on Thursdays", SampleFiles.produced("guide.epub", "application/epub+zip"));
        files.put("amber semaphore flashes when the crusher jams", SampleFiles.produced("update.eml", "message/rfc822"));
        files.put("Junk E-mail Filter prevents unwanted e-mail", SampleFiles.produced("test-outlook2003.msg", "application/vnd.ms-outlook"));
        Map<String, JsonNode> accepted = new LinkedHashMap<>();
        for (var file : files.entrySet()) accepted.put(file.getKey(), acceptSample(token, file.getValue()));

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (var entry : accepted.entrySet()) assertThat(jobOf(token, entry.getValue()).path("status").asText()).as(entry.getKey()).isEqualTo("SUCCEEDED");
        });
        // The ODT, the EPUB and the PPTX were made from one source, so they share their sentences: each
        // must be among the hits for its sentence, not necessarily first.
        for (var entry : accepted.entrySet()) {
            JsonNode hits = json(get("/api/v1/search?k=5&q=" + URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8), token)).path("hits");
            assertThat(hits.findValuesAsText("documentId")).as(entry.getKey() + ": " + hits)
                    .contains(entry.getValue().path("documentId").asText());
        }
    }

    @Test
    void password_protected_office_files_and_a_zip_bomb_are_dead_lettered_with_their_reason_and_no_chunks() {
        Sample docx = SampleFiles.produced("guide.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        JsonNode locked = acceptSample(token, SampleFiles.passwordProtected(docx));
        JsonNode lockedOdt = acceptSample(token, SampleFiles.produced("guide-locked.odt", "application/vnd.oasis.opendocument.text"));
        JsonNode bomb = acceptSample(token, SampleFiles.zipBomb(docx, "cobalt lantern", 50 * 1024 * 1024));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (JsonNode job : new JsonNode[]{locked, lockedOdt, bomb}) {
                assertThat(jobOf(token, job).path("status").asText()).isEqualTo("DEAD_LETTERED");
            }
        });
        assertThat(jobOf(token, locked).path("error").asText()).contains("encrypted");
        assertThat(jobOf(token, lockedOdt).path("error").asText()).contains("encrypted");
        assertThat(jobOf(token, bomb).path("error").asText()).containsIgnoringCase("zip bomb");
        for (JsonNode job : new JsonNode[]{locked, lockedOdt, bomb}) {
            assertThat(jdbc.queryForObject("select classification from dead_letter_jobs where job_id = ?::uuid", String.class,
                    job.path("jobId").asText())).isEqualTo("PERMANENT");
            assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?::uuid", Integer.class,
                    job.path("documentId").asText())).isZero();
        }
    }
}
