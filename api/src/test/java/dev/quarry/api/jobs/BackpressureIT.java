package dev.quarry.api.jobs;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@TestPropertySource(properties = "quarry.backpressure.max-waiting.ingest=2")
class BackpressureIT extends ApiIntegrationTest {
    @Autowired MeterRegistry meters;

    private double rejections() {
        return meters.get("quarry.backpressure.rejections").tag("type", "ingest").counter().count();
    }

    @Test
    void submissions_past_the_queue_limit_get_503_with_retry_after_and_store_nothing() {
        String token = TestTokens.forTenant("acme");
        assertThat(uploadText(token, "a.txt", "first").statusCode()).isEqualTo(202);
        assertThat(uploadText(token, "b.txt", "second").statusCode()).isEqualTo(202);
        Map<String, Integer> before = rowCounts();
        double rejections = rejections();

        HttpResponse<String> rejected = uploadText(token, "c.txt", "third");

        assertProblem(rejected, 503, "queue-full");
        assertThat(rejected.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(rowCounts()).isEqualTo(before);
        assertThat(rejections() - rejections).isOne();
        // What the alert on queue depth reads: the table's count, refreshed within a few seconds.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                meters.get("quarry.jobs.waiting").tags("type", "ingest", "state", "queued").gauge().value()).isEqualTo(2));
    }

    @Test
    void a_bulk_reingest_queues_no_more_than_the_limit_admits_and_defers_the_rest() {
        String token = TestTokens.forTenant("acme");
        assertThat(uploadText(token, "a.txt", "first").statusCode()).isEqualTo(202);
        assertThat(uploadText(token, "b.txt", "second").statusCode()).isEqualTo(202);
        jdbc.update("update jobs set status = 'SUCCEEDED'");
        assertThat(uploadText(token, "c.txt", "third").statusCode()).isEqualTo(202);

        HttpResponse<String> bulk = bulkReingest(token, "bulk-1");

        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(202);
        assertThat(bulk.body()).contains("\"matched\":3", "\"queued\":1", "\"inProgress\":1", "\"deferred\":1");
        Map<String, Integer> before = rowCounts();
        HttpResponse<String> full = bulkReingest(token, "bulk-2");
        assertProblem(full, 503, "queue-full");
        assertThat(rowCounts()).isEqualTo(before);
    }

    private HttpResponse<String> bulkReingest(String token, String key) {
        return send(request("/api/v1/documents/reingest", token).header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"collection\": \"default\"}")).build());
    }
}
