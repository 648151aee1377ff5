package dev.quarry.api.ratelimit;

import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;

/**
 * One bucket a request draws from: its scope ({@code user}, {@code tenant} or {@code ip}, the names the
 * RateLimit headers use), its key, and how many tokens it holds, refilled evenly over the window.
 */
record BucketSpec(String scope, String key, long capacity, long version) {

    BucketConfiguration configuration(Duration window) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                .build();
    }
}
