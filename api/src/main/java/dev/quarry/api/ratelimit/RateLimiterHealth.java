package dev.quarry.api.ratelimit;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code rateLimiter} in readiness, and always UP: the limits fail open, so a Redis outage is no reason to
 * take the instance out of the load balancer. Its details say which buckets are in use, so an operator sees
 * when limits hold per instance only.
 */
@Component("rateLimiterHealthIndicator")
class RateLimiterHealth implements HealthIndicator {
    private final ObjectProvider<TokenBuckets> buckets;

    RateLimiterHealth(ObjectProvider<TokenBuckets> buckets) {
        this.buckets = buckets;
    }

    @Override
    public Health health() {
        TokenBuckets limiter = buckets.getIfAvailable();
        if (limiter == null) return Health.up().withDetail("buckets", "off").build();
        return limiter.local()
                ? Health.up().withDetail("buckets", "local")
                        .withDetail("reason", "Redis unreachable: limits fail open and hold per API instance").build()
                : Health.up().withDetail("buckets", "redis").build();
    }
}
