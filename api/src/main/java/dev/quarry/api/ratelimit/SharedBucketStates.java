package dev.quarry.api.ratelimit;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads and resets buckets in Redis for the admin endpoints. Unlike requests, these do not fall back: a
 * local bucket says nothing about the shared state, so without Redis they answer 503.
 */
class SharedBucketStates {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final RedisBucketConnection redis;

    SharedBucketStates(RedisBucketConnection redis) {
        this.redis = redis;
    }

    /** A bucket that exists: its scope, tier, capacity and the tokens in it now. */
    record BucketView(String scope, String tier, long capacity, long available) {
    }

    List<BucketView> of(String tenant, String subject, Collection<Tier> tiers) {
        AsyncProxyManager<String> shared = shared();
        List<BucketView> views = new ArrayList<>();
        for (Tier tier : tiers) {
            view(shared, "user", tier.name(), RateLimitKeys.user(tier.name(), tenant, subject)).ifPresent(views::add);
            view(shared, "tenant", tier.name(), RateLimitKeys.tenant(tier.name(), tenant)).ifPresent(views::add);
        }
        return views;
    }

    void reset(String tenant, String subject, Collection<Tier> tiers) {
        AsyncProxyManager<String> shared = shared();
        for (Tier tier : tiers) await(shared.removeProxy(RateLimitKeys.user(tier.name(), tenant, subject)));
    }

    private Optional<BucketView> view(AsyncProxyManager<String> shared, String scope, String tier, String key) {
        Optional<BucketConfiguration> configuration = await(shared.getProxyConfiguration(key));
        if (configuration.isEmpty()) return Optional.empty();
        long available = await(shared.builder().build(key,
                () -> CompletableFuture.completedFuture(configuration.get())).getAvailableTokens());
        return Optional.of(new BucketView(scope, tier, configuration.get().getBandwidths()[0].getCapacity(), available));
    }

    private AsyncProxyManager<String> shared() {
        return redis.buckets().orElseThrow(SharedBucketStates::unavailable);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (Exception e) {
            throw unavailable();
        }
    }

    private static ApiProblem unavailable() {
        return new ApiProblem(ProblemKind.SERVICE_UNAVAILABLE, "Redis, which holds the rate-limit buckets, "
                + "does not answer; retry later");
    }
}
