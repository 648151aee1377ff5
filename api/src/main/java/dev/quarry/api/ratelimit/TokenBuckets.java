package dev.quarry.api.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Draws a request's tokens from its buckets: the shared ones in Redis, or, while Redis does not answer, this
 * instance's own ({@link LocalBuckets}). Limits fail open, never closed: a Redis outage must not take the
 * API down with it. The gauge {@code quarry.ratelimit.local} is 1 while the local buckets are in use, and
 * the readiness details say so ({@link RateLimiterHealth}).
 */
class TokenBuckets {
    private static final Logger log = LoggerFactory.getLogger(TokenBuckets.class);
    private final RedisBucketConnection redis;
    private final LocalBuckets local;
    private final SharedBucketProxies proxies;
    private final RateLimitProperties properties;
    private final Counter redisFailures;
    private final AtomicBoolean onLocal = new AtomicBoolean(false);
    private volatile long retryRedisAtNanos = System.nanoTime();

    TokenBuckets(RedisBucketConnection redis, RateLimitProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.properties = properties;
        this.local = new LocalBuckets(properties.window());
        this.proxies = new SharedBucketProxies(properties.window());
        this.redisFailures = Counter.builder("quarry.ratelimit.redis.failures")
                .description("Bucket operations that Redis failed, answered from the local buckets")
                .register(meters);
        meters.gauge("quarry.ratelimit.local", onLocal, on -> on.get() ? 1 : 0);
        // Connect at startup (each try waits up to the Redis timeout), so that the first requests find the
        // shared buckets; a Redis that is down only means starting on the local ones.
        int tries = 0;
        while (redis.buckets().isEmpty() && ++tries < 8) {
            Thread.onSpinWait();
        }
    }

    /** Takes {@code cost} tokens from every bucket, or from none if any of them lacks them. */
    Decision consume(List<BucketSpec> specs, long cost) {
        if (System.nanoTime() - retryRedisAtNanos >= 0) {
            Optional<AsyncProxyManager<String>> shared = redis.buckets();
            if (shared.isEmpty()) {
                redisFailed(new IllegalStateException("not connected"));
            } else {
                try {
                    Decision decision = consumeShared(shared.get(), specs, cost);
                    if (onLocal.compareAndSet(true, false)) {
                        log.info("rate limits: Redis answers, the shared buckets are in use again");
                        local.clear();
                    }
                    return decision;
                } catch (Exception e) {
                    redisFailed(e);
                }
            }
        }
        return local.consume(specs, cost);
    }

    /** Whether requests draw from this instance's own buckets now (Redis unreachable). */
    boolean local() {
        return onLocal.get();
    }

    private Decision consumeShared(AsyncProxyManager<String> shared, List<BucketSpec> specs, long cost)
            throws Exception {
        List<AsyncBucketProxy> buckets = specs.stream().map(spec -> proxies.of(shared, spec)).toList();
        // All buckets in parallel: one Redis round trip of latency, not three.
        List<CompletableFuture<ConsumptionProbe>> probes = buckets.stream()
                .map(bucket -> bucket.tryConsumeAndReturnRemaining(cost)).toList();
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .get(properties.redisTimeout().toNanos(), TimeUnit.NANOSECONDS);
        List<BucketState> states = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ConsumptionProbe probe = probes.get(i).join();
            states.add(new BucketState(specs.get(i), probe.isConsumed(), probe.getRemainingTokens(),
                    probe.getNanosToWaitForReset(), probe.getNanosToWaitForRefill()));
        }
        Decision decision = new Decision(states, true);
        if (!decision.admitted()) {
            // A refused request costs nothing: give back what the other buckets took (not awaited).
            for (int i = 0; i < specs.size(); i++) {
                if (states.get(i).consumed()) buckets.get(i).addTokens(cost);
            }
        }
        return decision;
    }

    private void redisFailed(Exception e) {
        redisFailures.increment();
        retryRedisAtNanos = System.nanoTime() + properties.redisRetry().toNanos();
        if (onLocal.compareAndSet(false, true)) {
            log.warn("rate limits: Redis failed ({}); failing open to this instance's own buckets, retrying Redis "
                    + "every {}", e.toString(), properties.redisRetry());
        }
    }
}
