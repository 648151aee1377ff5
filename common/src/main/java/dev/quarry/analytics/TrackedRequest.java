package dev.quarry.analytics;

import java.time.Instant;

/**
 * One API request as analytics keeps it: when it arrived, who made it (null tenant and subject for a request
 * without an accepted token), the method, the matched route template (never the raw path, which holds ids),
 * the status answered and how long the answer took.
 */
public record TrackedRequest(Instant at, String tenant, String subject, String method, String route, int status,
                             long durationMicros) {
}
