package dev.quarry.api;

import dev.quarry.testing.TestTokens;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SampleFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the API's integration tests: the real application on a random port, against the shared
 * PostgreSQL and Redis, called over real HTTP. Subclasses share one application context.
 */
// Boot's tests turn metrics export off; the API's /actuator/prometheus is part of what is tested.
@AutoConfigureObservability
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, ApiIntegrationTest.NO_RATE_LIMITS})
public abstract class ApiIntegrationTest {
    protected static final ObjectMapper JSON = new ObjectMapper();
    /** Every test calls from one address: the per-IP limit would throttle the suite. RateLimitIT turns them on. */
    public static final String NO_RATE_LIMITS = "quarry.rate-limit.enabled=false";

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void cleanDatabase() {
        Databases.truncateQuarryTables(jdbc);
    }

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        return builder;
    }

    protected HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    protected HttpResponse<String> upload(String token, String key, MultipartBody body) {
        HttpRequest.Builder builder = request("/api/v1/documents", token)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    protected HttpResponse<String> uploadText(String token, String filename, String text) {
        return upload(token, UUID.randomUUID().toString(),
                new MultipartBody().file("file", filename, "text/plain", text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Uploads {@code sample} as {@code application/octet-stream} (the API detects its type) and asserts the 202. */
    protected JsonNode acceptSample(String token, SampleFiles.Sample sample) {
        HttpResponse<String> response = upload(token, UUID.randomUUID().toString(),
                new MultipartBody().file("file", sample.filename(), "application/octet-stream", sample.bytes()));
        assertThat(response.statusCode()).as(sample.filename() + ": " + response.body()).isEqualTo(202);
        return json(response);
    }

    /** The job of an accepted upload, as {@code GET /api/v1/jobs/{id}} shows it now. */
    protected JsonNode jobOf(String token, JsonNode accepted) {
        return json(get("/api/v1/jobs/" + accepted.path("jobId").asText(), token));
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Asserts an RFC 9457 problem of the given kind and returns its body. */
    protected static JsonNode assertProblem(HttpResponse<String> response, int status, String kind) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:quarry:problem:" + kind);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        return problem;
    }

    /** Row counts of every table an upload writes, to prove a rejected request left nothing behind. */
    protected Map<String, Integer> rowCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String table : new String[]{"documents", "document_contents", "jobs", "job_events", "idempotency_keys"}) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Integer.class));
        }
        return counts;
    }
}
