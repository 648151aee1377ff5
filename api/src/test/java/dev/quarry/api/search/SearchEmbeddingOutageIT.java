package dev.quarry.api.search;

import dev.quarry.api.ApiApplication;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.FakeOpenAiServer;
import dev.quarry.testing.FakeOpenAiServer.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The API with OpenAI embeddings, against a local server speaking the API that is down: 503, never 500. */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, ApiIntegrationTest.NO_RATE_LIMITS,
                "quarry.embedding.provider=openai",
                "quarry.embedding.openai.dimensions=384",
                "quarry.embedding.openai.retry.max-attempts=1",
                "quarry.embedding.openai.breaker.sliding-window=2",
                "quarry.embedding.openai.breaker.minimum-calls=2",
                "quarry.embedding.openai.breaker.wait-in-open-state=PT10M"})
@DirtiesContext
class SearchEmbeddingOutageIT extends ApiIntegrationTest {
    private static final FakeOpenAiServer openAi = FakeOpenAiServer.start();

    @DynamicPropertySource
    static void openAi(DynamicPropertyRegistry registry) {
        registry.add("quarry.embedding.openai.api-key", openAi::apiKey);
        registry.add("quarry.embedding.openai.base-url", openAi::baseUrl);
    }

    @AfterAll
    static void stop() {
        openAi.close();
    }

    @Test
    void a_query_that_cannot_be_embedded_is_a_503_with_retry_after_the_breakers_wait_once_it_opened() {
        openAi.failEveryRequestWith(Fault.serverError(500));
        String token = TestTokens.forTenant("acme");

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> failed = get("/api/v1/search?q=wing+flutter&mode=vector", token);
            assertProblem(failed, 503, "service-unavailable");
            assertThat(failed.headers().firstValue("Retry-After")).hasValue("5");
        }
        HttpResponse<String> paused = get("/api/v1/search?q=wing+flutter&mode=vector", token);

        assertProblem(paused, 503, "service-unavailable");
        assertThat(paused.headers().firstValue("Retry-After")).hasValue("600");
        assertThat(openAi.requestCount()).isEqualTo(2);
        // The keyword leg needs no embedding and keeps answering.
        assertThat(get("/api/v1/search?q=wing+flutter&mode=keyword", token).statusCode()).isEqualTo(200);
    }
}
