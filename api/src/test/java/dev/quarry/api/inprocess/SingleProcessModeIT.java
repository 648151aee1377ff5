package dev.quarry.api.inprocess;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * USE_DURABLE_WORKER=false: no worker process is started, yet an upload through the API is extracted, embedded
 * and stored by the API's own JobRunr server, and found by a search. The context is closed afterwards so that
 * its job server does not take jobs from the integration tests that follow.
 */
@TestPropertySource(properties = "quarry.use-durable-worker=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SingleProcessModeIT extends ApiIntegrationTest {
    @Autowired
    BackgroundJobServer jobServer;

    @Test
    void an_upload_is_ingested_by_the_api_itself_and_found_by_a_search() {
        assertThat(jobServer.isRunning()).isTrue();
        String token = TestTokens.forTenant("single-process");
        JsonNode accepted = json(uploadText(token, "lighthouse.txt",
                "The lighthouse keeper polished the great lens every evening before the fog rolled in."));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(json(get("/api/v1/jobs/" + accepted.get("jobId").asText(), token)).get("status").asText())
                        .isEqualTo("SUCCEEDED"));

        String documentId = accepted.get("documentId").asText();
        assertThat(json(get("/api/v1/documents/" + documentId, token)).get("status").asText()).isEqualTo("INDEXED");
        String q = URLEncoder.encode("keeper polishing the lens of a lighthouse", StandardCharsets.UTF_8);
        JsonNode hits = json(get("/api/v1/search?k=5&q=" + q, token)).get("hits");
        assertThat(hits).isNotEmpty();
        assertThat(hits.get(0).get("documentId").asText()).isEqualTo(documentId);
    }
}
