package dev.quarry.api.exports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exports over real HTTP with a real worker process: documents uploaded and ingested (Tika, the model), an
 * export followed over SSE and downloaded whole and by range, and every bad request answered with a problem
 * that changes nothing.
 */
class ExportsIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("export");

    @Test
    void an_export_is_followed_over_sse_and_downloaded_whole_and_by_range() throws Exception {
        String token = TestTokens.forTenant("export-http");
        String first = ingested(token, "lighthouses.txt", "Lighthouse keepers trimmed the wicks every evening.");
        String second = ingested(token, "tides.txt", "Spring tides follow the new and the full moon.");

        String body = "{\"format\":\"json\",\"scope\":{\"all\":true}}";
        HttpResponse<String> accepted = post(token, "export-key-1", body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).path("exportId").asText();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/exports/" + id);
        HttpResponse<String> replay = post(token, "export-key-1", body);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(replay).path("exportId").asText()).isEqualTo(id);

        SseClient events = SseClient.open(http, request("/api/v1/jobs/" + id + "/events", token)
                .header("Accept", "text/event-stream").GET().build());
        await().atMost(Duration.ofMinutes(2)).until(events::ended);
        assertThat(events.names()).startsWith("queued").endsWith("succeeded");
        events.close();

        JsonNode status = json(get("/api/v1/exports/" + id, token));
        assertThat(status.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.path("documents").asInt()).isEqualTo(2);
        assertThat(status.path("file").asText()).isEqualTo("/api/v1/exports/" + id + "/file");

        HttpResponse<byte[]> whole = download(token, id, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValueSatisfying(disposition ->
                assertThat(disposition).startsWith("attachment").contains("export-" + id + ".json"));
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.body()).hasSize(status.path("sizeBytes").asInt());
        JsonNode file = JSON.readTree(whole.body());
        assertThat(file.path("documents")).extracting(d -> d.path("id").asText()).containsExactlyInAnyOrder(first, second);
        assertThat(file.path("documents").toString()).contains("Lighthouse keepers trimmed the wicks every evening.")
                .contains("Spring tides follow the new and the full moon.");

        HttpResponse<byte[]> part = download(token, id, "bytes=5-24");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 5-24/" + whole.body().length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 5, 25));
        HttpResponse<byte[]> tail = download(token, id, "bytes=-10");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole.body(), whole.body().length - 10, whole.body().length));

        assertProblem(get("/api/v1/exports/" + id, TestTokens.forTenant("someone-else")), 404, "not-found");
    }

    @Test
    void a_bulk_export_has_a_parent_to_follow_and_a_file_per_scope() {
        String token = TestTokens.forTenant("export-bulk");
        ingested(token, "a.txt", "Alpine meadows bloom in June.");

        HttpResponse<String> accepted = post(token, UUID.randomUUID().toString(), """
                {"exports": [{"format": "markdown", "scope": {"all": true}},
                             {"format": "zip", "scope": {"collection": "default"}}]}""");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String parent = json(accepted).path("jobId").asText();
        assertThat(json(accepted).path("exports")).hasSize(2);

        await().atMost(Duration.ofMinutes(2)).until(() ->
                json(get("/api/v1/exports/" + parent, token)).path("status").asText().equals("SUCCEEDED"));
        JsonNode status = json(get("/api/v1/exports/" + parent, token));
        assertThat(status.path("exports")).extracting(e -> e.path("status").asText()).containsOnly("SUCCEEDED");
        for (JsonNode child : status.path("exports")) {
            assertThat(download(token, child.path("exportId").asText(), null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void bad_requests_get_problems_and_change_nothing() {
        String token = TestTokens.forTenant("export-bad");
        String own = ingested(token, "own.txt", "Only this tenant's text.");
        String foreign = ingested(TestTokens.forTenant("export-other"), "foreign.txt", "Another tenant's text.");
        Map<String, Integer> before = counts();

        assertProblem(post(token, "k1", "{\"format\":\"docx\",\"scope\":{\"all\":true}}"), 400, "unknown-export-format");
        assertProblem(post(token, "k2", "{\"format\":\"json\",\"scope\":{}}"), 422, "empty-scope");
        assertProblem(post(token, "k3", "{\"format\":\"json\"}"), 422, "empty-scope");
        assertProblem(post(token, "k4", "{\"format\":\"json\",\"scope\":{\"collection\":\"nothing-here\"}}"), 422,
                "empty-scope");
        assertProblem(post(token, "k5", "{\"format\":\"json\",\"scope\":{\"documentIds\":[\"" + own + "\",\"" + foreign
                + "\"]}}"), 422, "unknown-documents");
        assertProblem(post(token, "k6", "{\"exports\":[{\"format\":\"json\",\"scope\":{\"all\":true}},"
                + "{\"format\":\"tar\",\"scope\":{\"all\":true}}]}"), 400, "unknown-export-format");
        assertProblem(post(token, null, "{\"format\":\"json\",\"scope\":{\"all\":true}}"), 400, "missing-idempotency-key");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void a_file_cannot_be_downloaded_while_its_export_runs_or_after_it_expired() {
        String token = TestTokens.forTenant("export-timing");
        ingested(token, "t.txt", "Timing matters for downloads.");
        // An export a worker is running: the rows as an accepted, started export has them (never in JobRunr); a
        // user's export is narrowed to what that user sees (visibleTo), and only that user reads it.
        UUID running = UUID.randomUUID();
        jdbc.update("insert into jobs (id, tenant_id, type, status, enqueued_at, attempts) "
                + "values (?, 'export-timing', 'EXPORT', 'RUNNING', now(), 1)", running);
        jdbc.update("insert into exports (id, tenant_id, format, scope, part_size, expires_at) "
                + "values (?, 'export-timing', 'JSON', '{\"all\":true,\"visibleTo\":\"user-export-timing\"}', 1048576, "
                + "now() + interval '1 day')", running);
        assertProblem(get("/api/v1/exports/" + running + "/file", token), 409, "export-not-ready");

        HttpResponse<String> accepted = post(token, UUID.randomUUID().toString(), "{\"format\":\"pdf\",\"scope\":{\"all\":true}}");
        String id = json(accepted).path("exportId").asText();
        await().atMost(Duration.ofMinutes(2)).until(() ->
                json(get("/api/v1/exports/" + id, token)).path("status").asText().equals("SUCCEEDED"));
        assertThat(download(token, id, null).statusCode()).isEqualTo(200);
        jdbc.update("update exports set expires_at = now() - interval '1 second' where id = ?", UUID.fromString(id));
        assertProblem(get("/api/v1/exports/" + id + "/file", token), 410, "export-expired");
        assertThat(json(get("/api/v1/exports/" + id, token)).path("expired").asBoolean()).isTrue();
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>(rowCounts());
        counts.put("exports", jdbc.queryForObject("select count(*) from exports", Integer.class));
        return counts;
    }

    private String ingested(String token, String filename, String text) {
        JsonNode accepted = json(uploadText(token, filename, text));
        String job = accepted.path("jobId").asText();
        await().atMost(Duration.ofMinutes(2)).until(() ->
                json(get("/api/v1/jobs/" + job, token)).path("status").asText().equals("SUCCEEDED"));
        return accepted.path("documentId").asText();
    }

    private HttpResponse<String> post(String token, String key, String body) {
        HttpRequest.Builder builder = request("/api/v1/exports", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private HttpResponse<byte[]> download(String token, String id, String range) {
        HttpRequest.Builder builder = request("/api/v1/exports/" + id + "/file", token).GET();
        if (range != null) builder.header("Range", range);
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
