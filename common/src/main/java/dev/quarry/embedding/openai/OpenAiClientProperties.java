package dev.quarry.embedding.openai;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.embedding.openai.*}: how Quarry calls OpenAI (the key, model and dimensions are bound by
 * {@code EmbeddingProperties} from the same prefix). Each value can be set from the environment by relaxed
 * binding, e.g. {@code QUARRY_EMBEDDING_OPENAI_TOKENSPERMINUTE=200000}. Defaults fit OpenAI's usage tier 1
 * for text-embedding-3-small.
 *
 * @param connectTimeout    to open a connection
 * @param callTimeout       for one request from sending to the whole answer; a slow call counts as failed
 * @param requestsPerMinute client-side limit on requests, retries included
 * @param tokensPerMinute   client-side limit on input tokens (estimated as characters / 4 before sending)
 * @param rateLimitWait     how long a call may wait for its share of either limit before it fails (transient)
 * @param retry             in-process retries of one call
 * @param breaker           the circuit breaker around all calls of this process
 */
@ConfigurationProperties("quarry.embedding.openai")
public record OpenAiClientProperties(Duration connectTimeout, Duration callTimeout, Integer requestsPerMinute,
                                     Integer tokensPerMinute, Duration rateLimitWait, Retry retry, Breaker breaker) {

    public OpenAiClientProperties {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        callTimeout = callTimeout == null ? Duration.ofSeconds(30) : callTimeout;
        requestsPerMinute = requestsPerMinute == null ? 3000 : requestsPerMinute;
        tokensPerMinute = tokensPerMinute == null ? 1_000_000 : tokensPerMinute;
        rateLimitWait = rateLimitWait == null ? Duration.ofSeconds(30) : rateLimitWait;
        retry = retry == null ? new Retry(null, null, null) : retry;
        breaker = breaker == null ? new Breaker(null, null, null, null, null) : breaker;
    }

    /**
     * @param maxAttempts    attempts of one call, the first included
     * @param initialBackoff wait before the first retry when the answer names none; doubles for each retry
     * @param maxWait        cap on any wait, {@code Retry-After} included, so a job never sleeps for minutes
     */
    public record Retry(Integer maxAttempts, Duration initialBackoff, Duration maxWait) {
        public Retry {
            maxAttempts = maxAttempts == null ? 4 : maxAttempts;
            initialBackoff = initialBackoff == null ? Duration.ofMillis(500) : initialBackoff;
            maxWait = maxWait == null ? Duration.ofSeconds(60) : maxWait;
        }
    }

    /**
     * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
     * @param slidingWindow        calls the failure rate is measured over
     * @param minimumCalls         calls needed before the rate counts at all
     * @param waitInOpenState      how long the breaker rejects every call before letting a few probe
     * @param callsInHalfOpenState probe calls that decide whether it closes again
     */
    public record Breaker(Float failureRateThreshold, Integer slidingWindow, Integer minimumCalls,
                          Duration waitInOpenState, Integer callsInHalfOpenState) {
        public Breaker {
            failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
            slidingWindow = slidingWindow == null ? 20 : slidingWindow;
            minimumCalls = minimumCalls == null ? 10 : minimumCalls;
            waitInOpenState = waitInOpenState == null ? Duration.ofSeconds(30) : waitInOpenState;
            callsInHalfOpenState = callsInHalfOpenState == null ? 2 : callsInHalfOpenState;
        }
    }
}
