package dev.quarry.api;

import dev.quarry.testing.TestTokens;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SseClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path over real HTTP: the API accepts the repository's samples/ (one file per supported
 * format), a real worker process (JobRunr BackgroundJobServer, Tika, the in-process model) ingests them, SSE
 * reports it, and a search for a phrase from each file finds that file first.
 */
class EndToEndIT extends ApiIntegrationTest {
    private static final Path SAMPLES = Path.of("..", "samples");
    /** A phrase from each sample, in the words a user would search with. */
    private static final Map<String, String> PHRASES = new LinkedHashMap<>();

    static {
        PHRASES.put("durable-jobs.txt", "heartbeat stops and other workers declare it dead");
        PHRASES.put("hybrid-search.md", "reciprocal rank fusion combines both result lists");
        PHRASES.put("retry-policy.html", "random jitter keeps failed jobs from retrying at the same instant");
        PHRASES.put("embedding-models.csv", "int8 weights roughly double throughput on CPU");
        PHRASES.put("tenants.json", "tenants cannot even learn which identifiers exist");
        PHRASES.put("ChunkWindow.java", "sliding-window chunker splits a token sequence into windows");
        PHRASES.put("vector-indexes.pdf", "hierarchical navigable small world graphs nearest neighbour");
        PHRASES.put("data-governance.docx", "retention jobs delete documents chunks and events");
    }

    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("e2e", Map.of("spring.datasource.hikari.maximum-pool-size", "10"));

    @Test
    void every_supported_format_is_ingested_by_a_real_worker_and_found_first_by_its_own_phrase() throws Exception {
        String token = TestTokens.forTenant("e2e");
        Map<String, JsonNode> accepted = new LinkedHashMap<>();
        for (String file : PHRASES.keySet()) {
            byte[] bytes = Files.readAllBytes(SAMPLES.resolve(file));
            HttpResponse<String> response = upload(token, UUID.randomUUID().toString(),
                    new MultipartBody().file("file", file, "application/octet-stream", bytes));
            assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(202);
            accepted.put(file, json(response));
        }

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (var entry : accepted.entrySet()) {
                JsonNode job = json(get("/api/v1/jobs/" + entry.getValue().get("jobId").asText(), token));
                assertThat(job.get("status").asText()).as(entry.getKey() + ": " + job).isEqualTo("SUCCEEDED");
            }
        });

        for (var entry : accepted.entrySet()) {
            String q = URLEncoder.encode(PHRASES.get(entry.getKey()), StandardCharsets.UTF_8);
            JsonNode hits = json(get("/api/v1/search?k=5&q=" + q, token)).get("hits");
            assertThat(hits).as(entry.getKey()).isNotEmpty();
            assertThat(hits.get(0).get("documentId").asText()).as("top hit for " + entry.getKey() + ": " + hits)
                    .isEqualTo(entry.getValue().get("documentId").asText());
            JsonNode document = json(get("/api/v1/documents/" + entry.getValue().get("documentId").asText(), token));
            assertThat(document.get("status").asText()).isEqualTo("INDEXED");
            assertThat(document.get("chunkCount").asInt()).isPositive();
        }
    }

    @Test
    void a_client_sees_the_events_in_order_and_a_reconnect_gets_exactly_the_missed_ones() throws Exception {
        String token = TestTokens.forTenant("e2e-sse");
        byte[] bytes = Files.readAllBytes(SAMPLES.resolve("durable-jobs.txt"));
        JsonNode accepted = json(upload(token, UUID.randomUUID().toString(),
                new MultipartBody().file("file", "durable-jobs.txt", "text/plain", bytes)));
        String events = "/api/v1/jobs/" + accepted.get("jobId").asText() + "/events";

        List<SseClient.Event> all;
        try (SseClient stream = SseClient.open(http, request(events, token).header("Accept", "text/event-stream").GET().build())) {
            await().atMost(Duration.ofMinutes(2)).until(stream::ended);
            all = stream.events();
        }
        assertThat(all.get(0).name()).isEqualTo("queued");
        assertThat(all.get(1).name()).isEqualTo("started");
        assertThat(all.get(all.size() - 1).name()).isEqualTo("succeeded");
        assertThat(all.subList(2, all.size() - 1)).extracting(SseClient.Event::name).containsOnly("progress").isNotEmpty();
        assertThat(all).extracting(SseClient.Event::id).isSorted().doesNotHaveDuplicates();
        assertThat(all.stream().map(e -> json(e.data()).path("step").asText()).filter(s -> !s.isEmpty()).distinct())
                .containsSubsequence("extract", "chunk", "embed", "store");

        // Reconnect as if the connection dropped after the third event.
        SseClient.Event lastSeen = all.get(2);
        HttpRequest reconnect = request(events, token).header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(lastSeen.id())).GET().build();
        try (SseClient stream = SseClient.open(http, reconnect)) {
            await().atMost(Duration.ofSeconds(30)).until(stream::ended);
            assertThat(stream.events()).isEqualTo(all.subList(3, all.size()));
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
