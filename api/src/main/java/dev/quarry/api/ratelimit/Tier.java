package dev.quarry.api.ratelimit;

import dev.quarry.api.ratelimit.RateLimitProperties.TierLimits;

/**
 * A subscription tier's limits as in force now. {@code version} grows with every change an operator makes
 * (0 for the configured defaults): Bucket4j replaces a shared bucket's configuration when it sees a higher
 * version, so a change reaches every instance's buckets without resetting them.
 */
record Tier(String name, TierLimits limits, long version) {
}
