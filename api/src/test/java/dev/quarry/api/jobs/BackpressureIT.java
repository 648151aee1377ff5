package dev.quarry.api.jobs;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = "quarry.backpressure.max-waiting.ingest=2")
class BackpressureIT extends ApiIntegrationTest {

    @Test
    void submissions_past_the_queue_limit_get_503_with_retry_after_and_store_nothing() {
        String token = TestTokens.forTenant("acme");
        assertThat(uploadText(token, "a.txt", "first").statusCode()).isEqualTo(202);
        assertThat(uploadText(token, "b.txt", "second").statusCode()).isEqualTo(202);
        Map<String, Integer> before = rowCounts();

        HttpResponse<String> rejected = uploadText(token, "c.txt", "third");

        assertProblem(rejected, 503, "queue-full");
        assertThat(rejected.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(rowCounts()).isEqualTo(before);
    }
}
