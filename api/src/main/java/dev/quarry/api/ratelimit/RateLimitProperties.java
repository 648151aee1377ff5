package dev.quarry.api.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code quarry.rate-limit.*}: the token buckets every API request under {@code /api/} draws from.
 *
 * @param enabled        off only for benchmarks and tests that measure something else
 * @param defaultTier    the tier of a token without a {@code tier} claim
 * @param tiers          per tier, what a user and a whole tenant may spend per {@link #window}; an operator
 *                       changes them at run time (stored in {@code rate_limit_tiers}, which wins)
 * @param ipPerWindow    what one client address may spend per window, whoever it calls as
 * @param window         the period in which a bucket refills completely
 * @param costs          what a request costs, by method and path pattern (first match); 1 otherwise
 * @param redisTimeout   how long a bucket operation may wait for Redis before the request falls back to
 *                       this instance's own buckets
 * @param redisRetry     how long to stay on the local buckets after Redis failed, before trying it again
 * @param tierRefresh    how long an instance keeps the tier limits it read from PostgreSQL
 */
@ConfigurationProperties("quarry.rate-limit")
record RateLimitProperties(@DefaultValue("true") boolean enabled,
                           @DefaultValue("free") String defaultTier,
                           Map<String, TierLimits> tiers,
                           @DefaultValue("60") long ipPerWindow,
                           @DefaultValue("PT1M") Duration window,
                           List<EndpointCost> costs,
                           @DefaultValue("PT0.25S") Duration redisTimeout,
                           @DefaultValue("PT5S") Duration redisRetry,
                           @DefaultValue("PT5S") Duration tierRefresh) {

    RateLimitProperties {
        tiers = tiers == null ? Map.of() : Map.copyOf(tiers);
        costs = costs == null ? List.of() : List.copyOf(costs);
    }

    /** @param user a user's budget per window; @param tenant the budget of all the tenant's users together */
    record TierLimits(long user, long tenant) {
        TierLimits {
            if (user < 1 || tenant < 1) throw new IllegalArgumentException("tier limits must be at least 1");
        }
    }

    /** @param method an HTTP method, or {@code *} for any; @param path a Spring path pattern */
    record EndpointCost(@DefaultValue("*") String method, String path, long cost) {
    }
}
