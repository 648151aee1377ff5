package dev.quarry.api.jobs;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobEventData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.ApiApplication;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import dev.quarry.events.JobEventType;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis is unreachable for the whole life of this API instance (it points at a closed port): uploads are
 * still accepted and event streams still deliver every event, by polling job_events.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, ApiIntegrationTest.NO_RATE_LIMITS, "spring.data.redis.timeout=500ms",
                "spring.data.redis.connect-timeout=500ms"})
class RedisOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String token = TestTokens.forTenant("acme");
    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.Endpoints services = TestServices.endpoints();
        registry.add("spring.datasource.url", services::jdbcUrl);
        registry.add("spring.datasource.username", services::user);
        registry.add("spring.datasource.password", services::password);
        registry.add("spring.data.redis.host", () -> "localhost");
        registry.add("spring.data.redis.port", RedisOutageIT::closedPort);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PgJobStore jobs;
    @Autowired
    JobLifecycle lifecycle;
    @Autowired
    PgJobEventStore events;
    @Autowired
    JobEventStreams streams;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token);
    }

    @Test
    void uploads_are_accepted_and_streams_deliver_every_event_from_the_database() throws Exception {
        MultipartBody body = new MultipartBody()
                .file("file", "a.txt", "text/plain", "no redis".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> accepted = http.send(request("/api/v1/documents").header("Idempotency-Key", "k")
                        .header("Content-Type", body.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        UUID jobId = UUID.fromString(JSON.readTree(accepted.body()).path("jobId").asText());

        try (SseClient client = SseClient.open(http, request("/api/v1/jobs/" + jobId + "/events").GET().build())) {
            await().atMost(WAIT).until(() -> client.names().equals(List.of("queued")));
            assertThat(streams.live(jobId)).isFalse();

            // Through the store (whose Redis publish fails quietly) and straight into the table (never published):
            lifecycle.start(jobId, "acme", JobEventData.Started.NOTHING);
            events.append(jobId, "acme", JobEventType.PROGRESS,
                    Map.of("step", "embed", "done", 1, "total", 1, "percent", 100));
            lifecycle.succeed(jobId, "acme", JobEventData.Succeeded.NOTHING);

            await().atMost(WAIT).until(client::ended);
            assertThat(client.names()).containsExactly("queued", "started", "progress", "succeeded");
            assertThat(client.events().stream().map(SseClient.Event::id).toList()).isSorted();
            JsonNode progress = JSON.readTree(client.events().get(2).data());
            assertThat(progress.path("step").asText()).isEqualTo("embed");
        }
    }

    @Test
    void readiness_does_not_depend_on_redis() throws Exception {
        HttpResponse<String> readiness = http.send(request("/actuator/health/readiness").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
    }
}
