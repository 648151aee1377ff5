package dev.quarry.api.ratelimit;

/**
 * What one bucket said about a request: whether it had the tokens, what is left, and how long until it is
 * full again ({@code RateLimit}'s {@code t}) or holds enough for the request ({@code Retry-After}).
 */
record BucketState(BucketSpec spec, boolean consumed, long remaining, long nanosToReset, long nanosToRefill) {
}
