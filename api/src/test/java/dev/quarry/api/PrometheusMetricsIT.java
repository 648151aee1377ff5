package dev.quarry.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testing.ChunkStoreFailure;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/metrics.md is the contract the dashboards and alert rules are written against: after real work (an
 * upload that is retried once and succeeds, a corrupt upload that is dead-lettered, a search, an SSE stream)
 * every {@code quarry_*} series of its table is on {@code /actuator/prometheus} of each process the table names,
 * and no series carries a tenant, an id or query text.
 */
class PrometheusMetricsIT extends ApiIntegrationTest {
    private static final Path METRICS_DOC = Path.of("..", "docs", "metrics.md");
    private static final String TENANT = "metrics-tenant";
    private static final String QUERY = "boundary layer transition";
    private static final int WORKER_PORT = TestWorkers.freePort();
    private static final WorkerProcess WORKER = TestWorkers.create("metrics",
            Map.of("server.port", Integer.toString(WORKER_PORT)));

    private final String token = TestTokens.forTenant(TENANT);

    @BeforeAll
    static void startWorker() throws Exception {
        WORKER.start();
    }

    @AfterAll
    static void stopWorker() throws InterruptedException {
        WORKER.close();
    }

    @BeforeEach
    void workerRunningAndTheFirstStoreFailing() {
        TestWorkers.awaitRunning(jdbc, WORKER);
        // A real transient failure, as a busy database gives it: the first chunk insert is a serialization
        // failure, so the ingest is retried once by Quarry's policy (the retry meters) and then succeeds.
        ChunkStoreFailure.install(jdbc);
    }

    @AfterEach
    void removeTheTrigger() {
        ChunkStoreFailure.remove(jdbc);
    }

    @Test
    void every_series_in_docs_metrics_is_exported_by_its_processes_with_bounded_tags() throws Exception {
        JsonNode good = accepted(uploadText(token, "note.txt", "Boundary layer transition on a flat plate at "
                + "supersonic speed is delayed by a cooled wall."));
        var corrupt = SampleFiles.corruptPdf();
        JsonNode bad = accepted(upload(token, UUID.randomUUID().toString(),
                new MultipartBody().file("file", corrupt.filename(), corrupt.mediaType(), corrupt.bytes())));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(jobStatus(good)).isEqualTo("SUCCEEDED");
            assertThat(jobStatus(bad)).isEqualTo("DEAD_LETTERED");
        });
        assertThat(get("/api/v1/search?q=" + URLEncoder.encode(QUERY, StandardCharsets.UTF_8), token).statusCode())
                .isEqualTo(200);
        try (SseClient stream = SseClient.open(http, request("/api/v1/jobs/" + good.get("jobId").asText() + "/events",
                token).header("Accept", "text/event-stream").GET().build())) {
            await().atMost(Duration.ofSeconds(20)).until(stream::ended);
        }

        Map<String, String> scrapes = Map.of("api", scrape(port), "worker", scrape(WORKER_PORT));
        List<String> missing = new ArrayList<>();
        for (Row row : rows()) {
            for (String process : row.processes()) {
                if (!exported(scrapes.get(process), row.series())) missing.add(row.series() + " on the " + process);
            }
        }
        assertThat(missing).as("series in docs/metrics.md that are not exported").isEmpty();

        String api = scrapes.get("api");
        String worker = scrapes.get("worker");
        assertThat(api).contains("quarry_embedding_calls_total{caller=\"search\",outcome=\"success\",provider=\"in-process\"}");
        assertThat(worker).contains("quarry_embedding_calls_total{caller=\"ingest\",outcome=\"success\",provider=\"in-process\"}");
        assertThat(worker).containsPattern("quarry_jobs_retries_total\\{error=\"\\w+\",type=\"ingest\"} 1\\.0");
        assertThat(worker).containsPattern("quarry_jobs_dead_letters_total\\{error=\"\\w+\",type=\"ingest\"} 1\\.0");
        assertThat(worker).containsPattern("quarry_jobs_run_time_seconds_bucket\\{status=\"succeeded\",type=\"ingest\",le=");
        assertThat(api).containsPattern("quarry_search_latency_seconds_bucket\\{mode=\"hybrid\",le=");
        assertThat(api).contains("quarry_jobs_waiting{state=\"queued\",type=\"ingest\"}");
        // Counted from Redis's CLIENT LIST by each process's client name: both publish job events on their
        // shared connection (the gauge reads on its own thread and is cached for a few seconds).
        for (int target : List.of(port, WORKER_PORT)) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(scrape(target))
                    .containsPattern("quarry_redis_connections\\{kind=\"command\"} [1-9]"));
        }
        for (String body : scrapes.values()) {
            assertThat(body).doesNotContain(TENANT, good.get("jobId").asText(), good.get("documentId").asText(),
                    bad.get("jobId").asText(), "boundary");
        }
    }

    private record Row(String series, List<String> processes) {
    }

    /**
     * The table's rows: the series name (what precedes {@code _bucket} or {@code _*}) and its processes. A row
     * whose process cell has a condition in parentheses (the OpenAI breaker) is checked by its own test.
     */
    private static List<Row> rows() throws IOException {
        Pattern row = Pattern.compile("^\\| `quarry\\.[^`]+` \\| `(quarry_[a-z_]+?)(?:_bucket[^`]*|_\\*)?` \\|.*\\| ([a-z, ]+) \\|[^|]*\\|$");
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(METRICS_DOC)) {
            Matcher m = row.matcher(line);
            if (m.matches()) rows.add(new Row(m.group(1), List.of(m.group(2).trim().split(",\\s*"))));
        }
        assertThat(rows).as("rows read from docs/metrics.md").hasSizeGreaterThan(20);
        return rows;
    }

    private static boolean exported(String scrape, String series) {
        return scrape.lines().anyMatch(line -> !line.startsWith("#") && (line.startsWith(series + "{")
                || line.startsWith(series + " ") || line.startsWith(series + "_")));
    }

    private String scrape(int port) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).timeout(Duration.ofSeconds(10))
                // The worker's metrics need the operator's credentials; the API's are open.
                .header("Authorization", TestWorkers.operatorAuthorization()).build());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode accepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response);
    }

    private String jobStatus(JsonNode accepted) {
        return json(get("/api/v1/jobs/" + accepted.get("jobId").asText(), token)).get("status").asText();
    }
}
