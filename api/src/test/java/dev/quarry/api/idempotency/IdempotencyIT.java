package dev.quarry.api.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestTokens;
import dev.quarry.idempotency.PgIdempotencyKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.quarry.testing.SampleFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    TransactionTemplate transaction;

    private HttpResponse<String> submit(String key, String text) {
        return submit(token, key, text);
    }

    private HttpResponse<String> submit(String token, String key, String text) {
        return upload(token, key, new MultipartBody().file("file", "doc.txt", "text/plain", utf8(text))
                .json("metadata", "{\"title\": \"Doc\"}"));
    }

    @Test
    void a_retry_with_the_same_key_and_request_replays_the_first_response() {
        HttpResponse<String> first = submit("retry-me", "same content");
        HttpResponse<String> second = submit("retry-me", "same content");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).isEmpty();
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).hasValue("true");
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(json(second)).isEqualTo(json(first));
        assertThat(rowCounts()).containsEntry("documents", 1).containsEntry("jobs", 1).containsEntry("idempotency_keys", 1);
    }

    @Test
    void the_key_may_be_sent_as_a_structured_field_string() {
        HttpResponse<String> bare = submit("quoted-key", "content");
        HttpResponse<String> quoted = submit("\"quoted-key\"", "content");

        assertThat(quoted.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).hasValue("true");
        assertThat(json(quoted)).isEqualTo(json(bare));
    }

    @Test
    void the_same_key_with_a_different_request_is_rejected() {
        assertThat(submit("reused", "first content").statusCode()).isEqualTo(202);
        var before = rowCounts();

        HttpResponse<String> response = submit("reused", "different content");

        assertProblem(response, 422, "idempotency-key-reused");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void keys_are_scoped_per_tenant() {
        HttpResponse<String> acme = submit("shared-key", "content");
        HttpResponse<String> globex = submit(TestTokens.forTenant("globex"), "shared-key", "content");

        assertThat(globex.statusCode()).isEqualTo(202);
        assertThat(globex.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).isEmpty();
        assertThat(json(globex).path("documentId")).isNotEqualTo(json(acme).path("documentId"));
    }

    @Test
    void a_request_while_the_first_is_in_flight_gets_409() {
        // Hold the key's lock as an in-flight request would, in a transaction kept open on this thread.
        transaction.executeWithoutResult(status -> {
            jdbc.queryForObject("select pg_advisory_xact_lock(hashtextextended(?, 0))::text", String.class,
                    PgIdempotencyKeys.lockName("acme", "in-flight"));

            HttpResponse<String> response = submit("in-flight", "content");

            assertProblem(response, 409, "idempotency-request-in-flight");
        });
        assertThat(rowCounts()).containsEntry("documents", 0).containsEntry("idempotency_keys", 0);
        // Once the first is done (here: gone), the key is usable.
        assertThat(submit("in-flight", "content").statusCode()).isEqualTo(202);
    }

    @Test
    void fifty_concurrent_identical_submissions_create_one_document_and_one_job() throws Exception {
        int clients = 50;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Callable<HttpResponse<String>> call = () -> {
                    start.await();
                    return submit("concurrent", "one and only");
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) responses.add(future.get());

            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(202, 409));
            List<JsonNode> accepted = responses.stream().filter(r -> r.statusCode() == 202).map(r -> json(r)).toList();
            assertThat(accepted).isNotEmpty();
            assertThat(accepted.stream().distinct()).hasSize(1);
            assertThat(rowCounts()).containsEntry("documents", 1).containsEntry("document_contents", 1)
                    .containsEntry("jobs", 1).containsEntry("idempotency_keys", 1);
        } finally {
            pool.shutdownNow();
        }
        // Every later retry is a replay of that one answer.
        assertThat(submit("concurrent", "one and only").headers().firstValue(IdempotencyKeyHeader.REPLAYED))
                .hasValue("true");
    }

    @Test
    void an_expired_key_is_forgotten() {
        HttpResponse<String> first = submit("expiring", "content");
        jdbc.update("update idempotency_keys set expires_at = now() - interval '1 second'");

        HttpResponse<String> again = submit("expiring", "content");

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).isEmpty();
        assertThat(json(again).path("jobId")).isNotEqualTo(json(first).path("jobId"));
        // The expired row was replaced, not kept beside the new one; the workers' recurring purge
        // (worker/.../idempotency/IdempotencyKeyPurge) removes the expired keys nobody reuses.
        assertThat(rowCounts()).containsEntry("idempotency_keys", 1);
    }

    @Test
    void new_keys_expire_after_the_configured_ttl() {
        submit("ttl", "content");

        Double hours = jdbc.queryForObject(
                "select extract(epoch from expires_at - created_at) / 3600 from idempotency_keys", Double.class);
        assertThat(hours).isBetween(23.9, 24.1);
    }
}
