package dev.quarry.api.ratelimit;

import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Bucket4j proxy per bucket, kept across requests instead of built for each: a request then costs no
 * builder, configuration supplier or proxy allocation, and the proxy's batching optimization can work, which
 * needs every request of a bucket to go through the same proxy. Batching merges the requests that one instance
 * has in flight for a bucket into one compare-and-swap against Redis instead of letting them race (each lost
 * race costs a GET and an EVAL more). It stays exact across instances: every batch is still one atomic
 * compare-and-swap of the state in Redis, so no instance ever spends tokens that Redis does not hold (unlike
 * Bucket4j's delaying or predicting optimizations, which spend locally and reconcile later).
 *
 * <p>A proxy holds no bucket state, only its key and configuration; {@link BucketSpec} includes the tier's
 * capacity and version, so a tier changed at run time gets a new proxy (and Bucket4j's implicit configuration
 * replacement). Bounded like {@link LocalBuckets}: the map is dropped whenever it grows past
 * {@link #MAX_PROXIES}, which costs only the rebuilding of proxies.
 */
class SharedBucketProxies {
    static final int MAX_PROXIES = 100_000;
    private final Map<BucketSpec, AsyncBucketProxy> proxies = new ConcurrentHashMap<>();
    private final Duration window;
    private volatile AsyncProxyManager<String> manager;

    SharedBucketProxies(Duration window) {
        this.window = window;
    }

    AsyncBucketProxy of(AsyncProxyManager<String> shared, BucketSpec spec) {
        if (shared != manager) { // a new connection's manager: the proxies of the old one would use it
            proxies.clear();
            manager = shared;
        }
        if (proxies.size() > MAX_PROXIES) proxies.clear();
        return proxies.computeIfAbsent(spec, key -> shared.builder()
                .withImplicitConfigurationReplacement(spec.version(), TokensInheritanceStrategy.PROPORTIONALLY)
                .withOptimization(Optimizations.batching())
                .build(spec.key(), () -> CompletableFuture.completedFuture(spec.configuration(window))));
    }
}
