package dev.quarry.api.ratelimit;

import dev.quarry.api.ApiApplication;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared buckets stay exact when two API instances race for them: each instance batches its own concurrent
 * requests for a bucket into one compare-and-swap ({@link SharedBucketProxies}), and Redis serializes the
 * instances' compare-and-swaps, so a bucket of 20 admits exactly 20 of 120 concurrent requests, however they are
 * spread over the instances.
 */
// The same application as RateLimitIT's (one cached context): limits on, a window of an hour (no refill to speak of).
@AutoConfigureObservability
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, "quarry.rate-limit.enabled=true",
                "quarry.rate-limit.ip-per-window=45", "quarry.rate-limit.tiers.free.tenant=30",
                "quarry.rate-limit.tier-refresh=PT0S", "quarry.rate-limit.redis-timeout=PT2S",
                "quarry.rate-limit.window=PT1H"})
class SharedBucketsRaceIT extends ApiIntegrationTest {
    private static final int CAPACITY = 20;
    private static final int REQUESTS = 120;
    @Autowired
    RedisConnectionDetails details;
    @Autowired
    RedisProperties redisProperties;
    @Autowired
    RateLimitProperties properties;

    @Test
    void two_instances_racing_for_one_bucket_admit_exactly_its_capacity() throws Exception {
        String user = "race-" + UUID.randomUUID();
        // The user's bucket binds; the tenant's and the address's are drawn from too, as on every request.
        List<BucketSpec> specs = List.of(new BucketSpec("user", RateLimitKeys.user("free", "race", user), CAPACITY, 0),
                new BucketSpec("tenant", RateLimitKeys.tenant("free", user), 1_000_000, 0),
                new BucketSpec("ip", RateLimitKeys.ip(user), 1_000_000, 0));
        ExecutorService clients = Executors.newFixedThreadPool(24);
        try (RedisBucketConnection first = connection(); RedisBucketConnection second = connection()) {
            List<TokenBuckets> instances = List.of(new TokenBuckets(first, properties, new SimpleMeterRegistry()),
                    new TokenBuckets(second, properties, new SimpleMeterRegistry()));
            List<Future<Decision>> decisions = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                TokenBuckets instance = instances.get(i % 2);
                decisions.add(clients.submit(() -> instance.consume(specs, 1)));
            }
            int admitted = 0;
            for (Future<Decision> decision : decisions) {
                Decision answer = decision.get();
                assertThat(answer.shared()).as("drawn from Redis, not from an instance's local buckets").isTrue();
                if (answer.admitted()) admitted++;
            }

            assertThat(admitted).isEqualTo(CAPACITY);
        } finally {
            clients.shutdownNow();
        }
    }

    private RedisBucketConnection connection() {
        return new RedisBucketConnection(details, redisProperties, Optional.empty(), properties.redisTimeout());
    }
}
