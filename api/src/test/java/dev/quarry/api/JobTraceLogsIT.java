package dev.quarry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JSON log lines of a real API and a real worker process (QUARRY_LOG_FORMAT=json) for one upload: the
 * caller's trace runs from the request through the worker's run of the job (the traceparent saved with the job
 * is restored there), each line names its own span, and the job's lines carry {@code jobId}, {@code tenant} and
 * {@code documentId}, while nothing of the document's content appears in any line.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobTraceLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "trace-logs";
    /** Words of the uploaded document that must never reach a log line. */
    private static final String CONTENT = "Quasar zebra hydrolysis of the left flange. Contact ada@example.com.";
    private static final WorkerProcess WORKER = TestWorkers.create("trace-logs", Map.of("quarry.log.format", "json"));
    private static ConfigurableApplicationContext api;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        Map<String, String> properties = new TreeMap<>(TestServices.springProperties());
        properties.putAll(Map.of("QUARRY_LOG_FORMAT", "json", "server.port", "0", "quarry.jwt.secret", TestTokens.SECRET));
        // A test context cached earlier in this JVM has marked Logback as configured; JSON must be applied anew.
        LoggingSystem.get(JobTraceLogsIT.class.getClassLoader()).cleanUp();
        api = new SpringApplicationBuilder(ApiApplication.class).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
        WORKER.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        WORKER.close();
        if (api != null) api.close();
    }

    @Test
    void one_trace_runs_from_the_request_into_the_workers_json_lines_with_the_jobs_fields(CapturedOutput output)
            throws Exception {
        TestWorkers.awaitRunning(api.getBean(JdbcTemplate.class), WORKER);
        String traceId = hex(16);
        String callerSpan = hex(8);
        int mark = output.getOut().length();

        HttpResponse<String> response = upload("00-" + traceId + "-" + callerSpan + "-01");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Trace-Id")).hasValue(traceId);
        JsonNode accepted = JSON.readTree(response.body());
        String jobId = accepted.get("jobId").asText();
        String documentId = accepted.get("documentId").asText();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> status(jobId).equals("SUCCEEDED"));

        List<JsonNode> apiLines = jsonLines(output.getOut().substring(mark));
        List<JsonNode> workerLines = await().atMost(Duration.ofSeconds(10)).until(
                () -> jsonLines(Files.readString(WORKER.log())).stream()
                        .filter(line -> jobId.equals(line.path("jobId").asText())).toList(),
                lines -> lines.stream().anyMatch(line -> line.path("message").asText().startsWith("document ingested")));
        List<JsonNode> apiJobLines = apiLines.stream().filter(line -> jobId.equals(line.path("jobId").asText())).toList();
        assertThat(apiJobLines).as("the API's lines of job %s", jobId).isNotEmpty();

        List<JsonNode> jobLines = new ArrayList<>(apiJobLines);
        jobLines.addAll(workerLines);
        assertThat(jobLines).allSatisfy(line -> {
            assertThat(line.path("traceId").asText()).as(line.toString()).isEqualTo(traceId);
            assertThat(line.path("spanId").asText()).as(line.toString()).matches("[0-9a-f]{16}").isNotEqualTo(callerSpan);
            assertThat(line.path("tenant").asText()).as(line.toString()).isEqualTo(TENANT);
            assertThat(line.path("documentId").asText()).as(line.toString()).isEqualTo(documentId);
        });
        // The worker's run is a span of its own, below the API's.
        assertThat(workerLines.get(0).path("spanId").asText()).isNotEqualTo(apiJobLines.get(0).path("spanId").asText());
        String everything = output.getOut() + Files.readString(WORKER.log());
        assertThat(everything).doesNotContain("Quasar", "hydrolysis", "ada@example.com");
    }

    private HttpResponse<String> upload(String traceparent) throws Exception {
        MultipartBody body = new MultipartBody().file("file", "flange.txt", "text/plain",
                CONTENT.getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri("/api/v1/documents"))
                .header("Authorization", "Bearer " + TestTokens.forTenant(TENANT))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("traceparent", traceparent)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String status(String jobId) throws Exception {
        HttpResponse<String> job = http.send(HttpRequest.newBuilder(uri("/api/v1/jobs/" + jobId))
                .header("Authorization", "Bearer " + TestTokens.forTenant(TENANT)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(job.body()).path("status").asText();
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + api.getEnvironment().getProperty("local.server.port") + path);
    }

    private static List<JsonNode> jsonLines(String text) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (!line.startsWith("{")) continue;
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
