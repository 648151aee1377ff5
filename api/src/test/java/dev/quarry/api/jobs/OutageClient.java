package dev.quarry.api.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.QuarryStack;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One tenant's uploads and event streams against an in-process Quarry, for the Redis outage tests. */
final class OutageClient {
    /** Bounds each upload: its request thread must never wait for Redis. */
    private static final Duration UPLOAD = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final QuarryStack quarry;
    private final String token;

    OutageClient(QuarryStack quarry, String tenant) {
        this.quarry = quarry;
        this.token = TestTokens.forTenant(tenant);
    }

    UUID upload(String filename) throws Exception {
        MultipartBody body = new MultipartBody().file("file", filename, "text/plain",
                ("Report " + filename + ": the shock wave stood off the blunt nose at a distance that "
                        + "matched the correlation.").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(request("/api/v1/documents").timeout(UPLOAD)
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(JSON.readTree(response.body()).path("jobId").asText());
    }

    SseClient open(UUID jobId) {
        return SseClient.open(http, request("/api/v1/jobs/" + jobId + "/events")
                .header("Accept", "text/event-stream").GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + quarry.apiPort() + path))
                .header("Authorization", "Bearer " + token);
    }

    /** The stream carried exactly the job's job_events rows, in order, from queued to succeeded. */
    void assertEveryEvent(UUID jobId, SseClient stream) {
        List<String> stored = quarry.api(JdbcTemplate.class).queryForList(
                "select id || ' ' || type from job_events where job_id = ? order by id", String.class, jobId);
        assertThat(stream.events()).extracting(e -> e.id() + " " + e.name()).containsExactlyElementsOf(stored);
        assertThat(stream.names()).startsWith("queued", "started").endsWith("succeeded").contains("progress");
    }
}
