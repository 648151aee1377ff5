package dev.quarry.api.ratelimit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Redis keys of the buckets. Every part is URL-encoded, so that no tenant or subject containing a
 * separator can land in another's bucket; the tier is part of the key, so a caller whose tier changes
 * starts a bucket of the new size.
 */
final class RateLimitKeys {
    private static final String PREFIX = "quarry:ratelimit:";

    private RateLimitKeys() {
    }

    static String user(String tier, String tenant, String subject) {
        return PREFIX + "user:" + part(tier) + ":" + part(tenant) + ":" + part(subject);
    }

    static String tenant(String tier, String tenant) {
        return PREFIX + "tenant:" + part(tier) + ":" + part(tenant);
    }

    static String ip(String address) {
        return PREFIX + "ip:" + part(address);
    }

    private static String part(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
