package dev.quarry.api.ratelimit;

import jakarta.servlet.http.HttpServletResponse;

import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The IETF rate-limit fields (draft-ietf-httpapi-ratelimit-headers), one policy per bucket:
 * {@code RateLimit-Policy: "user";q=20;w=60, "tenant";q=100;w=60, "ip";q=60;w=60} and
 * {@code RateLimit: "user";r=15;t=15, ...} (r: what is left, t: seconds until the bucket is full again).
 */
final class RateLimitHeaders {
    static final String POLICY = "RateLimit-Policy";
    static final String LIMIT = "RateLimit";

    private RateLimitHeaders() {
    }

    static void write(Decision decision, Duration window, HttpServletResponse response) {
        long w = window.toSeconds();
        response.setHeader(POLICY, decision.states().stream()
                .map(state -> quoted(state.spec().scope()) + ";q=" + state.spec().capacity() + ";w=" + w)
                .collect(Collectors.joining(", ")));
        response.setHeader(LIMIT, decision.states().stream()
                .map(state -> quoted(state.spec().scope()) + ";r=" + state.remaining() + ";t=" + seconds(state.nanosToReset()))
                .collect(Collectors.joining(", ")));
    }

    /** Whole seconds, rounded up: a client that waits them is sure to find the tokens. */
    static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    private static String quoted(String scope) {
        return '"' + scope + '"';
    }
}
