package dev.quarry.embedding.openai;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The resilience4j pieces around OpenAI calls, built from {@link OpenAiClientProperties} and named
 * {@code openai} (requests limiter {@code openai-requests}, tokens limiter {@code openai-tokens}) in the
 * metrics: {@code resilience4j.circuitbreaker.state{name="openai",state=...}} is 1 for the current state.
 */
record OpenAiResilience(Retry retry, CircuitBreaker breaker, RateLimiter requests, RateLimiter tokens,
                        TimeLimiter timeLimiter) {
    static final String NAME = "openai";

    /** {@code meters} may be null (no metrics, e.g. outside a Spring Boot application). */
    static OpenAiResilience of(OpenAiClientProperties properties, MeterRegistry meters) {
        var breakers = CircuitBreakerRegistry.of(breakerConfig(properties.breaker()));
        var retries = RetryRegistry.of(retryConfig(properties.retry()));
        var limiters = RateLimiterRegistry.ofDefaults();
        if (meters != null) {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
            TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(meters);
        }
        CircuitBreaker breaker = breakers.circuitBreaker(NAME);
        if (meters != null) registerStateGauges(breaker, meters);
        return new OpenAiResilience(retries.retry(NAME), breaker,
                limiters.rateLimiter(NAME + "-requests", perMinute(properties.requestsPerMinute(), properties.rateLimitWait())),
                limiters.rateLimiter(NAME + "-tokens", perMinute(properties.tokensPerMinute(), properties.rateLimitWait())),
                TimeLimiter.of(NAME, TimeLimiterConfig.custom().timeoutDuration(properties.callTimeout())
                        .cancelRunningFuture(true).build()));
    }

    /**
     * {@code quarry.embedding.breaker.state{provider,state}}: 1 for the current state, 0 for the others, under
     * Quarry's own name so that alerts do not depend on resilience4j's naming (which it also exports).
     */
    private static void registerStateGauges(CircuitBreaker breaker, MeterRegistry meters) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("quarry.embedding.breaker.state", breaker, b -> b.getState() == state ? 1 : 0)
                    .description("1 for the embedding provider's circuit breaker's current state")
                    .tag("provider", NAME).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
    }

    private static CircuitBreakerConfig breakerConfig(OpenAiClientProperties.Breaker breaker) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindow())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.callsInHalfOpenState())
                // So the state metric shows HALF_OPEN when the wait is over, not only at the next call.
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                // Our own rate limit says nothing about OpenAI's health; neither does one bad input.
                .recordException(e -> e instanceof OpenAiCallFailedException failed ? failed.recordedByBreaker()
                        : !(e instanceof RequestNotPermitted))
                .build();
    }

    private static RetryConfig retryConfig(OpenAiClientProperties.Retry retry) {
        return RetryConfig.custom()
                .maxAttempts(retry.maxAttempts())
                .retryOnException(e -> e instanceof OpenAiCallFailedException failed && failed.retryable())
                .intervalBiFunction(waitBeforeRetry(retry))
                .build();
    }

    /**
     * What the failed answer's {@code Retry-After} asks for, exactly; otherwise the back-off doubled per
     * attempt with ±25 % jitter. Both capped at {@code maxWait}.
     */
    static IntervalBiFunction<Object> waitBeforeRetry(OpenAiClientProperties.Retry retry) {
        return (attempt, outcome) -> {
            Duration wait;
            if (outcome.isLeft() && outcome.getLeft() instanceof OpenAiCallFailedException failed
                    && failed.retryAfter().isPresent()) {
                wait = failed.retryAfter().get();
            } else {
                long base = retry.initialBackoff().toMillis() << Math.min(20, Math.max(0, attempt - 1));
                wait = Duration.ofMillis(Math.round(base * (0.75 + ThreadLocalRandom.current().nextDouble() * 0.5)));
            }
            return Math.min(wait.toMillis(), retry.maxWait().toMillis());
        };
    }

    private static RateLimiterConfig perMinute(int limit, Duration wait) {
        return RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(wait).build();
    }
}
