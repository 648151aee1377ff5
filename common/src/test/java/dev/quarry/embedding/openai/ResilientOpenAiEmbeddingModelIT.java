package dev.quarry.embedding.openai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.quarry.testing.FakeOpenAiServer;
import dev.quarry.testing.FakeOpenAiServer.Fault;
import dev.quarry.testing.FakeOpenAiServer.RecordedRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The OpenAI client's limits, retries, breaker and timeout, against a local server speaking the API. */
class ResilientOpenAiEmbeddingModelIT {
    private static final FakeOpenAiServer openAi = FakeOpenAiServer.start();
    private static final List<TextSegment> TWO = List.of(TextSegment.from("supersonic wing flutter"),
            TextSegment.from("boundary layer transition"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterAll
    static void stop() {
        openAi.close();
    }

    @BeforeEach
    void reset() {
        openAi.reset();
    }

    @Test
    void embeds_with_the_requested_dimensions_and_reports_the_tokens() {
        Response<List<Embedding>> response = model(settings()).embedAll(TWO);

        assertThat(response.content()).hasSize(2);
        assertThat(response.content().get(0).vector())
                .containsExactly(FakeOpenAiServer.vectorFor("supersonic wing flutter", 384));
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(6);
        assertThat(openAi.requests()).singleElement().satisfies(r -> {
            assertThat(r.dimensions()).isEqualTo(384);
            assertThat(r.model()).isEqualTo("text-embedding-3-small");
            assertThat(r.inputs()).containsExactly("supersonic wing flutter", "boundary layer transition");
        });
    }

    @Test
    void waits_as_long_as_retry_after_asks_before_retrying_a_429() {
        // The back-off alone would retry after ~10 ms: only the header can explain a longer wait.
        openAi.enqueue(Fault.tooManyRequests(Duration.ofMillis(1200)));

        assertThat(model(settings()).embedAll(TWO).content()).hasSize(2);

        List<RecordedRequest> requests = openAi.requests();
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(429, 200);
        assertThat(requests.get(1).sinceAnswerOf(requests.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void retries_server_errors_until_one_succeeds() {
        openAi.enqueue(Fault.serverError(500), Fault.serverError(503));

        assertThat(model(settings()).embedAll(TWO).content()).hasSize(2);
        assertThat(openAi.requests()).extracting(RecordedRequest::status).containsExactly(500, 503, 200);
    }

    @Test
    void gives_up_on_a_slow_answer_and_retries() {
        openAi.enqueue(Fault.slow(Duration.ofSeconds(3)));

        assertThat(model(settings().callTimeout(Duration.ofMillis(300))).embedAll(TWO).content()).hasSize(2);
        // The slow one is recorded when the fake finally answers, into a closed connection.
        await().until(() -> openAi.requestCount() == 2);
    }

    @Test
    void reports_a_malformed_body_clearly_after_retrying_it() {
        openAi.enqueue(Fault.malformedBody(), Fault.wrongShape());

        assertThatThrownBy(() -> model(settings().maxAttempts(2)).embedAll(TWO))
                .isInstanceOf(OpenAiCallFailedException.class)
                .hasMessageContaining("OpenAI answered 200 with a body that is not an embeddings response")
                .hasMessageContaining("expected 2 embeddings");
        assertThat(openAi.requestCount()).isEqualTo(2);
    }

    @Test
    void does_not_retry_a_rejected_key() {
        var model = ResilientOpenAiEmbeddingModel.create("sk-wrong", openAi.baseUrl(), "text-embedding-3-small", 384,
                settings().build(), meters);

        assertThatThrownBy(() -> model.embedAll(TWO))
                .isInstanceOfSatisfying(OpenAiCallFailedException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("Incorrect API key");
        assertThat(openAi.requestCount()).isEqualTo(1);
    }

    @Test
    void opens_the_breaker_after_repeated_failures_then_rejects_without_calling_and_shows_it_in_the_metric() {
        openAi.failEveryRequestWith(Fault.serverError(500));
        var model = model(settings().maxAttempts(1).breaker(4, Duration.ofMinutes(5)));
        assertThat(breakerGauge("closed")).isEqualTo(1.0);

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> model.embedAll(TWO)).isInstanceOf(OpenAiCallFailedException.class);
        }
        assertThatThrownBy(() -> model.embedAll(TWO))
                .isInstanceOfSatisfying(EmbeddingProviderUnavailableException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(5)));

        assertThat(openAi.requestCount()).isEqualTo(4);
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breakerGauge("open")).isEqualTo(1.0);
        assertThat(breakerGauge("closed")).isEqualTo(0.0);
    }

    @Test
    void probes_after_the_breakers_wait_and_closes_when_the_provider_is_back() {
        openAi.failEveryRequestWith(Fault.serverError(503));
        var model = model(settings().maxAttempts(1).breaker(2, Duration.ofMillis(500)));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> model.embedAll(TWO)).isInstanceOf(OpenAiCallFailedException.class);
        }
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        openAi.reset();

        await().until(() -> model.breakerState() == CircuitBreaker.State.HALF_OPEN);
        assertThat(model.embedAll(TWO).content()).hasSize(2);
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void rate_limiting_does_not_open_the_breaker_but_an_exhausted_quota_does() {
        var model = model(settings().maxAttempts(3).breaker(2, Duration.ofMinutes(5)));
        openAi.enqueue(Fault.tooManyRequests(Duration.ofMillis(10)), Fault.tooManyRequests(Duration.ofMillis(10)));
        assertThat(model.embedAll(TWO).content()).hasSize(2);
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);

        openAi.failEveryRequestWith(Fault.quotaExhausted());
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> model.embedAll(TWO))
                    .isInstanceOfSatisfying(OpenAiCallFailedException.class,
                            e -> assertThat(e.errorCode()).hasValue("insufficient_quota"))
                    .hasMessageContaining("exceeded your current quota");
        }
        assertThat(openAi.requestCount()).as("an exhausted quota is not retried").isEqualTo(3 + 2);
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void rejected_inputs_do_not_open_the_breaker() {
        var model = model(settings().maxAttempts(1).breaker(2, Duration.ofMinutes(5)));
        List<TextSegment> tooLong = List.of(TextSegment.from("word ".repeat(FakeOpenAiServer.MAX_INPUT_TOKENS + 1)));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> model.embedAll(tooLong))
                    .isInstanceOfSatisfying(OpenAiCallFailedException.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageContaining("maximum context length");
        }
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(openAi.requestCount()).isEqualTo(3);
    }

    @Test
    void refuses_a_call_over_the_tokens_per_minute_without_sending_it() {
        // 48 characters ≈ 12 tokens per call: the first fits into 20 tokens a minute, the second does not.
        var model = model(settings().tokensPerMinute(20).rateLimitWait(Duration.ZERO));
        List<TextSegment> texts = List.of(TextSegment.from("a".repeat(24)), TextSegment.from("b".repeat(24)));

        assertThat(model.embedAll(texts).content()).hasSize(2);
        assertThatThrownBy(() -> model.embedAll(texts)).isInstanceOf(RequestNotPermitted.class);
        assertThat(openAi.requestCount()).isEqualTo(1);
        assertThat(model.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void refuses_a_call_over_the_requests_per_minute_without_sending_it() {
        var model = model(settings().requestsPerMinute(1).rateLimitWait(Duration.ZERO));

        model.embedAll(TWO);
        assertThatThrownBy(() -> model.embedAll(TWO)).isInstanceOf(RequestNotPermitted.class);
        assertThat(openAi.requestCount()).isEqualTo(1);
    }

    @Test
    void estimates_tokens_as_four_characters_each() {
        assertThat(ResilientOpenAiEmbeddingModel.estimatedTokens(List.of("abcd", "abcde"))).isEqualTo(3);
        assertThat(ResilientOpenAiEmbeddingModel.estimatedTokens(List.of(""))).isEqualTo(1);
    }

    /** Quarry's own breaker gauge, which must agree with resilience4j's. */
    private double breakerGauge(String state) {
        double quarry = meters.get("quarry.embedding.breaker.state").tag("provider", "openai").tag("state", state)
                .gauge().value();
        assertThat(quarry).as("quarry.embedding.breaker.state agrees with resilience4j")
                .isEqualTo(meters.get("resilience4j.circuitbreaker.state").tag("name", "openai").tag("state", state)
                        .gauge().value());
        return quarry;
    }

    private ResilientOpenAiEmbeddingModel model(Settings settings) {
        return ResilientOpenAiEmbeddingModel.create(openAi.apiKey(), openAi.baseUrl(), "text-embedding-3-small", 384,
                settings.build(), meters);
    }

    private static Settings settings() {
        return new Settings();
    }

    /** Test settings: quick back-off, generous limits, a breaker that stays closed unless a test says otherwise. */
    private static final class Settings {
        private Duration callTimeout = Duration.ofSeconds(5);
        private int maxAttempts = 4;
        private int requestsPerMinute = 10_000;
        private int tokensPerMinute = 1_000_000;
        private Duration rateLimitWait = Duration.ofSeconds(5);
        private int breakerCalls = 100;
        private Duration breakerWait = Duration.ofMinutes(1);

        Settings callTimeout(Duration value) {
            callTimeout = value;
            return this;
        }

        Settings maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        Settings requestsPerMinute(int value) {
            requestsPerMinute = value;
            return this;
        }

        Settings tokensPerMinute(int value) {
            tokensPerMinute = value;
            return this;
        }

        Settings rateLimitWait(Duration value) {
            rateLimitWait = value;
            return this;
        }

        /** Opens when all of the last {@code calls} calls failed (50 % of a window of that many). */
        Settings breaker(int calls, Duration wait) {
            breakerCalls = calls;
            breakerWait = wait;
            return this;
        }

        OpenAiClientProperties build() {
            return new OpenAiClientProperties(Duration.ofSeconds(2), callTimeout, requestsPerMinute, tokensPerMinute,
                    rateLimitWait, new OpenAiClientProperties.Retry(maxAttempts, Duration.ofMillis(10), Duration.ofSeconds(5)),
                    new OpenAiClientProperties.Breaker(100f, breakerCalls, breakerCalls, breakerWait, 1));
        }
    }
}
