package dev.quarry.api.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.QuarryStack;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.Databases;
import dev.quarry.testing.PrivateServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stops while a real worker runs jobs and clients watch them (issue 3): jobs keep running, every
 * stream still delivers every event (by polling job_events), and streams are live again once Redis is back.
 * Redis is a private server (the shared one must never stop); PostgreSQL is the shared test database.
 * {@link RedisOutageIT} covers an API that never reaches Redis at all.
 */
class RedisRestartIT {
    private static final Duration JOB = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PrivateServer redis;
    private static QuarryStack quarry;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = TestTokens.forTenant("redis-down");

    @BeforeAll
    static void start() {
        redis = PrivateServer.redis();
        quarry = QuarryStack.start(redis, redis.springProperties());
    }

    @AfterAll
    static void stop() {
        if (quarry != null) quarry.close();
    }

    @BeforeEach
    void clean() {
        redis.startAgain();
        Databases.truncateQuarryTables(quarry.api(JdbcTemplate.class));
    }

    @Test
    void a_live_stream_whose_redis_stops_still_receives_every_event_of_the_job() throws Exception {
        UUID jobId = upload("live.txt");
        try (SseClient stream = open(jobId)) {
            JobEventStreams streams = quarry.api(JobEventStreams.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> streams.live(jobId));

            redis.stop();

            await().atMost(JOB).until(stream::ended);
            assertEveryEvent(jobId, stream);
        }
        assertIndexed(jobId);
    }

    @Test
    void without_redis_the_worker_runs_jobs_and_streams_poll_every_event_and_go_live_again_when_it_is_back()
            throws Exception {
        redis.stop();
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) jobs.add(upload("no-redis-" + i + ".txt"));
        List<SseClient> clients = new ArrayList<>();
        try {
            for (UUID job : jobs) clients.add(open(job));
            await().atMost(JOB).until(() -> clients.stream().allMatch(SseClient::ended));
            for (int i = 0; i < jobs.size(); i++) assertEveryEvent(jobs.get(i), clients.get(i));
        } finally {
            clients.forEach(SseClient::close);
        }
        for (UUID job : jobs) assertIndexed(job);

        redis.startAgain();
        UUID after = upload("redis-back.txt");
        try (SseClient stream = open(after)) {
            JobEventStreams streams = quarry.api(JobEventStreams.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.live(after) || stream.ended());
            await().atMost(JOB).until(stream::ended);
            assertEveryEvent(after, stream);
        }
    }

    private UUID upload(String filename) throws Exception {
        MultipartBody body = new MultipartBody().file("file", filename, "text/plain",
                ("Report " + filename + ": the shock wave stood off the blunt nose at a distance that "
                        + "matched the correlation.").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(request("/api/v1/documents")
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(JSON.readTree(response.body()).path("jobId").asText());
    }

    private SseClient open(UUID jobId) {
        return SseClient.open(http, request("/api/v1/jobs/" + jobId + "/events")
                .header("Accept", "text/event-stream").GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + quarry.apiPort() + path))
                .header("Authorization", "Bearer " + token);
    }

    /** The stream carried exactly the job's job_events rows, in order, from queued to succeeded. */
    private static void assertEveryEvent(UUID jobId, SseClient stream) {
        JdbcTemplate jdbc = quarry.api(JdbcTemplate.class);
        List<String> stored = jdbc.queryForList("select id || ' ' || type from job_events where job_id = ? order by id",
                String.class, jobId);
        assertThat(stream.events()).extracting(e -> e.id() + " " + e.name()).containsExactlyElementsOf(stored);
        assertThat(stream.names()).startsWith("queued", "started").endsWith("succeeded").contains("progress");
    }

    private static void assertIndexed(UUID jobId) {
        JdbcTemplate jdbc = quarry.api(JdbcTemplate.class);
        Map<String, Object> document = jdbc.queryForMap("""
                select d.status, d.chunk_count, (select count(*) from chunks c where c.document_id = d.id) as chunks
                from documents d join jobs j on j.document_id = d.id where j.id = ?""", jobId);
        assertThat(document.get("status")).isEqualTo("INDEXED");
        assertThat(((Number) document.get("chunks")).intValue()).isPositive()
                .isEqualTo(((Number) document.get("chunk_count")).intValue());
    }
}
