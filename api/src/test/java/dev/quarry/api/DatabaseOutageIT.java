package dev.quarry.api;

import dev.quarry.testing.TestTokens;
import dev.quarry.testing.RetryingUploader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testing.PrivateServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarts in the middle of a 100-document ingest (issue 3). A client keeps uploading, retrying
 * after each 503; the database goes away long enough for JobRunr OSS to stop its background job server and
 * comes back. Meanwhile the API answers 503 problems with Retry-After (never a 500) and readiness is DOWN;
 * afterwards every accepted document is indexed exactly once, with no manual action and no dead letter.
 * The database is a private cluster (the shared one must never stop); Redis is the shared one.
 */
class DatabaseOutageIT {
    private static final int DOCUMENTS = 100;
    private static final String TENANT = "outage";
    private static PrivateServer postgres;
    private static QuarryStack quarry;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = TestTokens.forTenant(TENANT);

    @BeforeAll
    static void start() {
        postgres = PrivateServer.postgres();
        quarry = QuarryStack.start(postgres, postgres.springProperties());
    }

    @AfterAll
    static void stop() {
        if (quarry != null) quarry.close();
    }

    @Test
    void a_postgres_restart_mid_ingest_loses_no_accepted_document_and_the_api_answers_503_meanwhile() throws Exception {
        JdbcTemplate jdbc = quarry.api(JdbcTemplate.class);
        RetryingUploader client = new RetryingUploader(quarry.apiPort(), token);
        client.upload(0, 40, DatabaseOutageIT::text, Duration.ofMinutes(1));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> succeeded(jdbc) >= 5);
        String someJob = client.answers().get(0).body();

        // Mid-ingest: jobs queued and running, and the client in the middle of its remaining uploads.
        CompletableFuture<List<JsonNode>> uploads = CompletableFuture.supplyAsync(
                () -> client.upload(40, DOCUMENTS, DatabaseOutageIT::text, Duration.ofMinutes(5)));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> client.acceptedCount() >= 45);
        postgres.stop();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> !quarry.workerJobServerRunning());
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"DOWN\"");
        HttpResponse<String> status = get("/api/v1/jobs/" + ApiIntegrationTest.JSON.readTree(someJob).path("jobId").asText());
        assertServiceUnavailable(status.statusCode(), status.headers().firstValue("Retry-After").orElse(null),
                status.headers().firstValue("Content-Type").orElse(null), status.body());
        // An upload that ended the client's loop (an answer neither 202 nor 503) fails here with its answer.
        await().atMost(Duration.ofMinutes(1)).until(() -> client.unavailableCount() > 0 || uploads.isDone());
        if (uploads.isCompletedExceptionally()) uploads.get();
        postgres.startAgain();

        List<JsonNode> accepted = uploads.get(5, TimeUnit.MINUTES);
        assertThat(accepted).hasSize(DOCUMENTS);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> succeeded(jdbc) == DOCUMENTS);

        for (RetryingUploader.Answer answer : client.answers()) {
            if (answer.status() != 202) {
                assertServiceUnavailable(answer.status(), answer.retryAfter(), answer.contentType(), answer.body());
            }
        }
        assertThat(accepted.stream().map(a -> a.path("jobId").asText()).distinct()).hasSize(DOCUMENTS);
        assertThat(jdbc.queryForList("select id::text from jobs where status = 'SUCCEEDED'", String.class))
                .containsExactlyInAnyOrderElementsOf(accepted.stream().map(a -> a.path("jobId").asText()).toList());
        assertExactlyOnceEach(jdbc);
        assertThat(quarry.workerJobServerRunning()).isTrue();
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    /** Every document indexed once: chunks match its count, no duplicate ordinal, one success, no dead letter. */
    private static void assertExactlyOnceEach(JdbcTemplate jdbc) {
        assertThat(jdbc.queryForObject("select count(*) from documents", Integer.class)).isEqualTo(DOCUMENTS);
        assertThat(jdbc.queryForList("select status from documents where status <> 'INDEXED'", String.class)).isEmpty();
        assertThat(jdbc.queryForList("""
                select d.id from documents d
                where d.chunk_count is null or d.chunk_count < 1
                   or d.chunk_count <> (select count(*) from chunks c where c.document_id = d.id)""", String.class))
                .isEmpty();
        assertThat(jdbc.queryForList("""
                select document_id from chunks group by document_id, ordinal having count(*) > 1""", String.class))
                .isEmpty();
        assertThat(jdbc.queryForList("""
                select j.id from jobs j
                where (select count(*) from job_events e where e.job_id = j.id and e.type = 'succeeded') <> 1""",
                String.class)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs", Integer.class)).isZero();
    }

    private static void assertServiceUnavailable(int status, String retryAfter, String contentType, String body)
            throws Exception {
        assertThat(status).as(body).isEqualTo(503);
        assertThat(retryAfter).as("Retry-After").isNotBlank();
        assertThat(contentType).startsWith("application/problem+json");
        assertThat(ApiIntegrationTest.JSON.readTree(body).path("type").asText())
                .isEqualTo("urn:quarry:problem:service-unavailable");
    }

    private static int succeeded(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from jobs where status = 'SUCCEEDED'", Integer.class);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + quarry.apiPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A few sentences, different per document, so each one is its own chunked, embedded text. */
    private static String text(int i) {
        return "Wind tunnel report " + i + ". The model number " + i + " was tested at Mach " + (i % 7 + 1)
                + " with a boundary layer trip at station " + (i * 13 % 97) + ". Heat transfer rose along the "
                + "leading edge, and the pressure distribution matched the theory within a few percent.";
    }
}
