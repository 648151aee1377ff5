package dev.quarry.api.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Embedding batches over real HTTP with a real worker process and the real model: a batch followed over SSE,
 * its results equal to the model's own vectors and downloaded whole and by range, a second batch of the same
 * texts served from the cache, a cancelled batch, a worker killed mid-batch whose retry writes every line once,
 * the job type's priority and limit, expired results, and every bad request answered with a problem that
 * stores nothing.
 */
class EmbeddingBatchesIT extends ApiIntegrationTest {
    private static final String PATH = "/api/v1/embeddings/batches";
    /** Generous: on a loaded 2-core machine a worker JVM takes minutes to start. */
    private static final Duration WAIT = Duration.ofMinutes(4);
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("embed-batch");

    @Autowired
    EmbeddingCatalog catalog;

    @Test
    void a_batch_is_followed_over_sse_and_its_results_are_the_models_vectors_downloaded_whole_and_by_range()
            throws Exception {
        String token = TestTokens.forTenant("batch-http");
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("a", "Lighthouse keepers trimmed the wicks every evening.");
        texts.put("b", "Spring tides follow the new and the full moon.");
        texts.put("c", "Lighthouse keepers trimmed the wicks every evening."); // the same text under another id
        String body = body(texts);

        HttpResponse<String> accepted = post(token, "batch-key-1", body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).path("id").asText();
        assertThat(accepted.headers().firstValue("Location")).hasValue(PATH + "/" + id);
        assertThat(json(accepted).path("model").asText()).isEqualTo(catalog.configured().tag());
        HttpResponse<String> replay = post(token, "batch-key-1", body);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(replay).path("id").asText()).isEqualTo(id);

        SseClient events = SseClient.open(http, request("/api/v1/jobs/" + id + "/events", token)
                .header("Accept", "text/event-stream").GET().build());
        await().atMost(WAIT).until(events::ended);
        assertThat(events.names()).startsWith("queued").contains("progress").endsWith("succeeded");
        events.close();

        JsonNode status = json(get(PATH + "/" + id, token));
        assertThat(status.path("object").asText()).isEqualTo("embedding_batch");
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(status.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":3,\"failed\":0}");
        assertThat(status.path("created_at").asText()).isNotBlank();
        assertThat(status.path("completed_at").asText()).isNotBlank();
        assertThat(status.path("expires_at").asText()).isNotBlank();
        assertThat(status.path("output_file").asText()).isEqualTo(PATH + "/" + id + "/results");

        HttpResponse<byte[]> whole = download(token, id, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/jsonl");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.body()).hasSize(status.path("output_bytes").asInt());
        List<JsonNode> lines = lines(whole.body());
        assertThat(lines).extracting(line -> line.path("id").asText()).containsExactly("a", "b", "c");
        for (JsonNode line : lines) {
            float[] own = catalog.model(catalog.configured()).embed(texts.get(line.path("id").asText())).content().vector();
            float[] given = vector(line);
            assertThat(given).hasSize(own.length);
            for (int i = 0; i < own.length; i++) assertThat(given[i]).isCloseTo(own[i], within(1e-5f));
            assertThat(line.path("tokens").asInt()).isPositive();
        }
        assertThat(vector(lines.get(2))).isEqualTo(vector(lines.get(0)));
        assertThat(status.path("tokens").asLong())
                .isEqualTo(lines.stream().mapToLong(line -> line.path("tokens").asLong()).sum());

        HttpResponse<byte[]> part = download(token, id, "bytes=5-104");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 5-104/" + whole.body().length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 5, 105));
        HttpResponse<byte[]> tail = download(token, id, "bytes=-10");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole.body(), whole.body().length - 10, whole.body().length));

        assertProblem(get(PATH + "/" + id, TestTokens.forTenant("someone-else")), 404, "not-found");
        assertProblem(get(PATH + "/" + id + "/results", TestTokens.forTenant("someone-else")), 404, "not-found");
    }

    @Test
    void a_second_batch_of_the_same_texts_comes_from_the_cache_without_a_model_call() {
        String token = TestTokens.forTenant("batch-cache");
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) texts.put("t" + i, "Cached sentence number " + i + " about harbours and tides.");
        String first = succeeded(token, body(texts));
        Map<String, Object> usage = usage("batch-cache");
        assertThat((Long) usage.get("tokens")).isPositive();

        Map<String, String> renamed = new LinkedHashMap<>();
        texts.forEach((id, text) -> renamed.put("again-" + id, text));
        String second = succeeded(token, body(renamed));

        assertThat(usage("batch-cache")).as("no text went to the model again").isEqualTo(usage);
        List<JsonNode> before = lines(download(token, first, null).body());
        List<JsonNode> after = lines(download(token, second, null).body());
        assertThat(after).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(after.get(i).path("id").asText()).isEqualTo("again-t" + i);
            assertThat(vector(after.get(i))).isEqualTo(vector(before.get(i)));
        }
    }

    @Test
    void a_cancelled_batch_stops_and_keeps_no_results() {
        String token = TestTokens.forTenant("batch-cancel");
        String id = json(post(token, UUID.randomUUID().toString(), body(manyTexts("cancel", 6000)))).path("id").asText();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "select progress_done from jobs where id = ?", Integer.class, UUID.fromString(id)) > 0);

        HttpResponse<String> cancel = send(request("/api/v1/jobs/" + id + "/cancel", token)
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);

        await().atMost(WAIT).until(() -> json(get(PATH + "/" + id, token)).path("status").asText().equals("cancelled"));
        JsonNode status = json(get(PATH + "/" + id, token));
        assertThat(status.path("request_counts").path("completed").asInt()).isLessThan(6000);
        assertThat(status.has("output_file")).isFalse();
        assertProblem(get(PATH + "/" + id + "/results", token), 409, "results-not-ready");
        assertThat(jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class,
                UUID.fromString(id))).isZero();
    }

    @Test
    void a_worker_killed_mid_batch_hands_it_back_and_the_retry_writes_every_line_once() throws Exception {
        String token = TestTokens.forTenant("batch-crash");
        int count = 3000;
        String id = json(post(token, UUID.randomUUID().toString(), body(manyTexts("crash", count)))).path("id").asText();
        UUID jobId = UUID.fromString(id);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "select progress_done from jobs where id = ?", Integer.class, jobId) >= 512);
        WORKER.process().kill();
        assertThat(jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId)).isEqualTo("RUNNING");
        WORKER.process().start();

        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(250)).until(() ->
                "SUCCEEDED".equals(jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId)));
        List<JsonNode> lines = lines(download(token, id, null).body());
        assertThat(lines).extracting(line -> line.path("id").asText())
                .containsExactlyElementsOf(manyTexts("crash", count).keySet());
        assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ? and type = 'started'",
                Integer.class, jobId)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ? and type = 'succeeded'",
                Integer.class, jobId)).isEqualTo(1);
    }

    @Test
    void the_job_type_has_its_own_priority_below_uploads_and_its_own_concurrency_limit() {
        String token = TestTokens.forTenant("batch-priority");
        String id = json(post(token, UUID.randomUUID().toString(), body(Map.of("x", "a text")))).path("id").asText();
        assertThat(jdbc.queryForObject("select priority from jobs where id = ?", Integer.class, UUID.fromString(id)))
                .isEqualTo(50);
        assertThat(json(get("/api/v1/admin/job-types", TestTokens.forTenant("batch-priority", "tenant-admin"))).toString())
                .contains("{\"type\":\"embed_batch\",\"defaultPriority\":50,\"maxRunning\":2,\"source\":\"configured\"}")
                .contains("{\"type\":\"ingest\",\"defaultPriority\":80");
        HttpResponse<String> lowered = send(request(PATH + "?priority=10", token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body(Map.of("y", "another text")))).build());
        assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(202);
        assertThat(jdbc.queryForObject("select priority from jobs where id = ?", Integer.class,
                UUID.fromString(json(lowered).path("id").asText()))).isEqualTo(10);
    }

    @Test
    void expired_results_are_gone_counted_by_the_dry_run_and_purged_by_their_owner() {
        String token = TestTokens.forTenant("batch-expiry");
        String id = succeeded(token, body(Map.of("only", "Results do not last forever.")));
        UUID batch = UUID.fromString(id);
        jdbc.update("update embedding_batches set expires_at = now() - interval '1 second' where id = ?", batch);

        assertProblem(get(PATH + "/" + id + "/results", token), 410, "results-expired");
        JsonNode status = json(get(PATH + "/" + id, token));
        assertThat(status.path("status").asText()).isEqualTo("expired");
        assertThat(status.has("output_file")).isFalse();
        String admin = TestTokens.forTenant("batch-expiry", "tenant-admin");
        assertThat(json(get("/api/v1/admin/retention/dry-run", admin)).path("embeddingResults").asLong()).isEqualTo(1);
        // The sweep itself runs in the worker; RetentionSweepIT checks that it purges them. Here only that the
        // parts are where the dry run says.
        assertThat(jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class, batch))
                .isPositive();
    }

    @Test
    void bad_requests_get_problems_and_store_nothing() {
        String token = TestTokens.forTenant("batch-bad");
        Map<String, Integer> before = counts();

        assertProblem(post(token, null, body(Map.of("a", "text"))), 400, "missing-idempotency-key");
        assertProblem(post(token, "k1", "not json"), 400, "invalid-parameter");
        assertProblem(post(token, "k2", "{\"items\":[]}"), 422, "invalid-batch-items");
        assertProblem(post(token, "k3", "{}"), 422, "invalid-batch-items");
        assertProblem(post(token, "k4", "{\"items\":[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"a\",\"text\":\"y\"}]}"), 422,
                "invalid-batch-items");
        assertProblem(post(token, "k5", "{\"items\":[{\"id\":\"a\",\"text\":\"   \"}]}"), 422, "invalid-batch-items");
        assertProblem(post(token, "k6", "{\"items\":[{\"text\":\"no id\"}]}"), 422, "invalid-batch-items");
        assertProblem(post(token, "k7", "{\"items\":[{\"id\":\"a\",\"text\":\"x\"}],\"model\":\"text-embedding-3-small@1\"}"),
                422, "embedding-version-not-active");
        JsonNode tooMany = assertProblem(post(token, "k8", body(manyTexts("n", 10_001))), 413, "batch-too-large");
        assertThat(tooMany.path("detail").asText()).contains("10000 items");
        assertProblem(post(token, "k9", body(Map.of("long", "x".repeat(32_769)))), 413, "batch-too-large");
        Map<String, String> huge = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) huge.put("h" + i, "y".repeat(30_000)); // 9 MB: over the body's 8 MB
        assertProblem(post(token, "k10", body(huge)), 413, "batch-too-large");
        HttpResponse<String> raised = send(request(PATH + "?priority=90", token).header("Content-Type", "application/json")
                .header("Idempotency-Key", "k11").POST(HttpRequest.BodyPublishers.ofString(body(Map.of("a", "x")))).build());
        assertProblem(raised, 403, "priority-not-allowed");

        assertThat(counts()).isEqualTo(before);
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>(rowCounts());
        counts.put("embedding_batches", jdbc.queryForObject("select count(*) from embedding_batches", Integer.class));
        counts.put("export_parts", jdbc.queryForObject("select count(*) from export_parts", Integer.class));
        return counts;
    }

    private Map<String, Object> usage(String tenant) {
        return jdbc.queryForMap("select cast(coalesce(sum(tokens), 0) as bigint) as tokens, cast(coalesce(sum(calls), 0) as bigint) as calls "
                + "from embedding_usage where tenant_id = ?", tenant);
    }

    /** Accepts a batch and waits until it has succeeded; its id. */
    private String succeeded(String token, String body) {
        HttpResponse<String> accepted = post(token, UUID.randomUUID().toString(), body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).path("id").asText();
        await().atMost(WAIT).until(() -> json(get(PATH + "/" + id, token)).path("status").asText().equals("completed"));
        return id;
    }

    private static Map<String, String> manyTexts(String prefix, int count) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            texts.put(prefix + "-" + i, "Sentence " + i + " of the " + prefix + " batch: " + Integer.toHexString(i * 7919)
                    + " keepers, tides and " + (i % 97) + " lanterns.");
        }
        return texts;
    }

    private static String body(Map<String, String> texts) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        texts.forEach((id, text) -> items.addObject().put("id", id).put("text", text));
        return body.toString();
    }

    private static List<JsonNode> lines(byte[] jsonl) {
        List<JsonNode> lines = new ArrayList<>();
        String text = new String(jsonl, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        for (String line : text.split("\n")) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    private static float[] vector(JsonNode line) {
        JsonNode embedding = line.path("embedding");
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) vector[i] = embedding.get(i).floatValue();
        return vector;
    }

    private HttpResponse<String> post(String token, String key, String body) {
        HttpRequest.Builder builder = request(PATH, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private HttpResponse<byte[]> download(String token, String id, String range) {
        HttpRequest.Builder builder = request(PATH + "/" + id + "/results", token).GET();
        if (range != null) builder.header("Range", range);
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
