package dev.quarry.api.idempotency;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.idempotency.PgIdempotencyKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Idempotency-Key semantics on mutating endpoints other than the upload, through IdempotencyFilter. */
class IdempotentMutationsIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    private final String admin = TestTokens.forTenant("acme", "admin");
    @Autowired
    TransactionTemplate transaction;

    private UUID queuedJob() {
        HttpResponse<String> accepted = uploadText(token, "notes.txt", "a job to cancel");
        assertThat(accepted.statusCode()).isEqualTo(202);
        return UUID.fromString(json(accepted).get("jobId").asText());
    }

    private HttpResponse<String> cancel(UUID job, String key) {
        HttpRequest.Builder request = request("/api/v1/jobs/" + job + "/cancel", token)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) request.header(IdempotencyKeyHeader.NAME, key);
        return send(request.build());
    }

    private HttpResponse<String> putSettings(String collection, String body, String key) {
        return send(request("/api/v1/collections/" + collection + "/search-settings", admin)
                .header("Content-Type", "application/json").header(IdempotencyKeyHeader.NAME, key)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private int storedKeys(String key) {
        return jdbc.queryForObject("select count(*) from idempotency_keys where key = ?", Integer.class, key);
    }

    @Test
    void a_retried_cancel_replays_the_first_answer_instead_of_answering_job_finished() {
        UUID job = queuedJob();

        HttpResponse<String> first = cancel(job, "cancel-once");
        HttpResponse<String> retry = cancel(job, "cancel-once");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).isEmpty();
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).hasValue("true");
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(retry.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        // Without the key, the same cancel is judged afresh: the job is finished by now.
        assertProblem(cancel(job, null), 409, "job-finished");
    }

    @Test
    void a_key_reused_for_another_request_is_rejected() {
        assertThat(cancel(queuedJob(), "reused-key").statusCode()).isEqualTo(202);

        assertProblem(cancel(queuedJob(), "reused-key"), 422, "idempotency-key-reused");
    }

    @Test
    void a_json_body_is_part_of_the_fingerprint() {
        HttpResponse<String> first = putSettings("papers", "{\"halfLife\": \"P30D\"}", "settings-1");
        HttpResponse<String> retry = putSettings("papers", "{\"halfLife\": \"P30D\"}", "settings-1");
        HttpResponse<String> changed = putSettings("papers", "{\"halfLife\": \"P7D\"}", "settings-1");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).get("halfLife").asText()).isEqualTo("PT720H");
        assertThat(retry.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).hasValue("true");
        assertThat(json(retry)).isEqualTo(json(first));
        assertProblem(changed, 422, "idempotency-key-reused");
    }

    @Test
    void a_json_retry_may_space_and_order_its_fields_differently() {
        HttpResponse<String> first = putSettings("manuals", "{\"halfLife\": \"P1D\", \"collection\": \"manuals\"}",
                "settings-2");
        HttpResponse<String> retry = putSettings("manuals", "{ \"collection\":\"manuals\",\n  \"halfLife\":\"P1D\" }",
                "settings-2");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).hasValue("true");
    }

    @Test
    void a_rejected_request_stores_neither_its_key_nor_its_effects() {
        assertProblem(cancel(UUID.randomUUID(), "unknown-job"), 404, "not-found");
        assertProblem(putSettings("papers", "{\"halfLife\": \"banana\"}", "bad-settings"), 400,
                "invalid-parameter");

        assertThat(storedKeys("unknown-job")).isZero();
        assertThat(storedKeys("bad-settings")).isZero();
        assertThat(jdbc.queryForObject("select count(*) from collection_settings", Integer.class)).isZero();
    }

    @Test
    void a_request_whose_key_is_in_flight_answers_409() {
        UUID job = queuedJob();
        // Holds the key's lock as a request in flight would.
        transaction.executeWithoutResult(status -> {
            jdbc.queryForObject("select pg_advisory_xact_lock(hashtextextended(?, 0))::text", String.class,
                    PgIdempotencyKeys.lockName("acme", "busy-key"));
            assertProblem(cancel(job, "busy-key"), 409, "idempotency-request-in-flight");
        });

        assertThat(cancel(job, "busy-key").statusCode()).isEqualTo(202);
    }

    @Test
    void an_invalid_key_is_a_problem_not_a_500() {
        assertProblem(cancel(queuedJob(), "x".repeat(300)), 400, "invalid-idempotency-key");
    }
}
