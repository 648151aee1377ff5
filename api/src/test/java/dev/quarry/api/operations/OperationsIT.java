package dev.quarry.api.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.QuarryStack;
import dev.quarry.testing.FakeOpenAiServer;
import dev.quarry.testing.FakeOpenAiServer.Fault;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.PrivateServer;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations files against the real thing: the API and a worker (embedding through a local server that
 * speaks OpenAI's API, so that provider failures, retries and the breaker are real), scraped by the
 * distribution's Prometheus. Real work makes every kind of series exist (successes, a dead letter, provider
 * failures and retries, a 503 from the queue guard, searches in every mode, an SSE stream); then every
 * dashboard panel's query and every metric an alert reads must return series, and every read-only command of
 * every runbook and of ROLLBACK_PLAN.md must run against this stack.
 */
class OperationsIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final String TENANT_TOKEN = TestTokens.forTenant("ops");
    private static final String OPERATOR_TOKEN = TestTokens.forTenant("operator", "operator");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOpenAiServer openAi;
    private static QuarryStack stack;
    private static LocalPrometheus prometheus;
    private static JdbcTemplate jdbc;
    private static String api;

    @BeforeAll
    static void startAndWork() throws Exception {
        openAi = FakeOpenAiServer.start();
        PrivateServer redis = PrivateServer.redis();
        Map<String, String> properties = new LinkedHashMap<>(redis.springProperties());
        properties.putAll(Map.of("quarry.embedding.provider", "openai", "quarry.embedding.openai.dimensions", "384",
                "quarry.embedding.openai.api-key", openAi.apiKey(), "quarry.embedding.openai.base-url", openAi.baseUrl(),
                "quarry.embedding.openai.retry.max-attempts", "1",
                // Two waiting ingests fill the queue, so the provider outage below also produces 503s.
                "quarry.backpressure.max-waiting.ingest", "2"));
        stack = QuarryStack.start(redis, properties);
        api = "http://127.0.0.1:" + stack.apiPort();
        jdbc = stack.api(JdbcTemplate.class);
        prometheus = LocalPrometheus.scraping(stack.apiPort(), stack.workerPort(),
                REPOSITORY.resolve("deploy/prometheus/alerts.yml"));
        await().atMost(Duration.ofSeconds(60)).until(prometheus::ready);
        work();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) prometheus.close();
        if (stack != null) stack.close();
        if (openAi != null) openAi.close();
    }

    /** Every outcome the dashboards and alerts watch, made to happen for real. */
    private static void work() throws Exception {
        // Successes; the same text twice, so the second is an embedding-cache hit.
        for (String text : List.of("Wing flutter at transonic speeds.", "Boundary layers on swept wings.",
                "Wing flutter at transonic speeds.")) {
            awaitStatus(upload("doc.txt", "text/plain", text.getBytes(StandardCharsets.UTF_8)), "SUCCEEDED");
        }
        // A permanent failure: dead-lettered at once.
        SampleFiles.Sample corrupt = SampleFiles.corruptPdf();
        awaitStatus(upload(corrupt.filename(), corrupt.mediaType(), corrupt.bytes()), "DEAD_LETTERED");
        // The provider fails: embedding errors, the breaker, retries; waiting jobs fill the queue until 503.
        openAi.failEveryRequestWith(Fault.serverError(500));
        // Instant pickup runs each upload at once; as attempts fail they wait for their retry, the waiting count
        // passes the limit, and the guard answers 503. Upload until it does.
        AtomicInteger sent = new AtomicInteger();
        await("a 503 from the queue guard").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> send(uploadRequest("outage-" + sent.incrementAndGet() + ".txt", "text/plain",
                        ("Outage document " + sent.get()).getBytes(StandardCharsets.UTF_8))).statusCode() == 503);
        await("a retry scheduled").atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "select count(*) from jobs where attempts > 1 or status = 'RETRY_SCHEDULED'", Integer.class) > 0);
        openAi.reset();
        // Searches in every mode, one bad request, and an SSE stream replayed to its end.
        for (String mode : List.of("keyword", "vector", "hybrid")) {
            assertThat(send(get("/api/v1/search?q=wing+flutter&mode=" + mode, TENANT_TOKEN)).statusCode()).isEqualTo(200);
        }
        assertThat(send(get("/api/v1/search", TENANT_TOKEN)).statusCode()).isEqualTo(400);
        UUID finished = jdbc.queryForObject("select id from jobs where tenant_id = 'ops' and status = 'SUCCEEDED' limit 1",
                UUID.class);
        try (SseClient events = SseClient.open(HTTP, get("/api/v1/jobs/" + finished + "/events", TENANT_TOKEN))) {
            await().atMost(Duration.ofSeconds(30)).until(events::ended);
        }
        try {
            await("both targets scraped").atMost(Duration.ofSeconds(60))
                    .until(() -> prometheus.query("up == 1").size() == 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("Prometheus cannot scrape both processes:\n" + prometheus.targets(), e);
        }
        // Prometheus has scraped everything above at least twice (rate() needs two samples).
        for (String series : List.of("quarry_jobs_dead_letters_total", "quarry_jobs_retries_total",
                "quarry_backpressure_rejections_total", "quarry_sse_events_sent_total",
                "quarry_search_latency_seconds_bucket", "quarry_embedding_cache_total")) {
            await(series).atMost(Duration.ofSeconds(90)).until(() -> !prometheus.query("count_over_time(" + series
                    + "[5m]) >= 3").isEmpty());
        }
    }

    @Test
    void every_dashboard_panel_query_returns_series() throws Exception {
        List<String> empty = new ArrayList<>();
        List<String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(30);
        for (String expression : expressions) {
            if (prometheus.query(expression).isEmpty()) empty.add(expression);
        }
        assertThat(empty).as("dashboard queries without data").isEmpty();
    }

    @Test
    void every_metric_an_alert_reads_has_series_and_every_rule_loads() throws Exception {
        JsonNode rules = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url + "/api/v1/rules")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("data").path("groups");
        List<String> queries = new ArrayList<>();
        rules.forEach(group -> group.path("rules").forEach(rule -> {
            queries.add(rule.path("query").asText());
            assertThat(rule.path("health").asText()).as(rule.path("name").asText()).isEqualTo("ok");
        }));
        assertThat(queries).hasSize(13);
        List<String> missing = new ArrayList<>();
        for (String metric : PromQl.metricNames(queries)) {
            if (prometheus.query("count(" + metric + ")").isEmpty()) missing.add(metric);
        }
        assertThat(missing).as("metrics named by alerts without series").isEmpty();
    }

    @Test
    void every_runbook_command_runs_against_the_live_stack() throws Exception {
        List<Path> documents = new ArrayList<>();
        try (var runbooks = Files.list(REPOSITORY.resolve("runbooks"))) {
            runbooks.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        documents.add(REPOSITORY.resolve("ROLLBACK_PLAN.md"));
        List<String> failures = new ArrayList<>();
        int commands = 0;
        for (Path document : documents) {
            for (String command : ShellBlocks.in(Files.readString(document))) {
                commands++;
                CommandResult result = run(command);
                if (result.exitCode() != 0) {
                    failures.add(REPOSITORY.relativize(document) + ": " + command + "\n  exit " + result.exitCode()
                            + ": " + result.output());
                }
            }
        }
        assertThat(commands).isGreaterThanOrEqualTo(60);
        assertThat(failures).as("runbook commands that failed").isEmpty();
    }

    private record CommandResult(int exitCode, String output) {
    }

    private static CommandResult run(String command) throws IOException, InterruptedException {
        TestServices.Endpoints db = TestServices.endpoints();
        URI jdbcUri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
                .directory(REPOSITORY.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("QUARRY_API", api);
        env.put("QUARRY_WORKER", "http://127.0.0.1:" + stack.workerPort());
        env.put("QUARRY_PROMETHEUS", prometheus.url);
        env.put("OPERATOR_TOKEN", OPERATOR_TOKEN);
        env.put("PGHOST", jdbcUri.getHost());
        env.put("PGPORT", Integer.toString(jdbcUri.getPort()));
        env.put("PGDATABASE", jdbcUri.getPath().substring(1));
        env.put("PGUSER", db.user());
        env.put("PGPASSWORD", db.password());
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new CommandResult(-1, "timed out after 30 s");
        }
        return new CommandResult(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip());
    }

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        try (var boards = Files.list(REPOSITORY.resolve("dashboards"))) {
            for (Path board : boards.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JSON.readTree(board.toFile()).path("panels").forEach(panel -> panel.path("targets")
                        .forEach(target -> expressions.add(target.path("expr").asText())));
            }
        }
        return expressions;
    }

    private static UUID upload(String filename, String mediaType, byte[] content) throws Exception {
        HttpResponse<String> answer = send(uploadRequest(filename, mediaType, content));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return UUID.fromString(JSON.readTree(answer.body()).path("jobId").asText());
    }

    private static HttpRequest uploadRequest(String filename, String mediaType, byte[] content) {
        MultipartBody body = new MultipartBody().file("file", filename, mediaType, content);
        return HttpRequest.newBuilder(URI.create(api + "/api/v1/documents"))
                .header("Authorization", "Bearer " + TENANT_TOKEN).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build();
    }

    private static void awaitStatus(UUID job, String status) {
        await().atMost(Duration.ofSeconds(90)).until(() -> status.equals(
                jdbc.queryForObject("select status from jobs where id = ?", String.class, job)));
    }

    private static HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
