package dev.quarry.api.admin;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A job whose retries ran out, or that failed permanently, as an operator sees it. */
record DeadLetter(UUID id, UUID jobId, String tenantId, String jobType, Map<String, Object> payload,
                  String errorClass, String message, String rootCause, String classification, int attempts,
                  Instant firstFailedAt, Instant lastFailedAt, Instant createdAt) {
}
