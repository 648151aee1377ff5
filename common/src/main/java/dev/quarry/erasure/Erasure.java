package dev.quarry.erasure;

import java.time.Instant;
import java.util.UUID;

/**
 * An erasure and, once {@code finishedAt} is set, its receipt: what was deleted, with counts and time. The
 * subject appears only as its SHA-256 (hex of the UTF-8 sub).
 */
public record Erasure(UUID jobId, String tenant, String subjectSha256, int documents, int chunks, int cacheEntries,
                      int jobs, int auditActors, Instant requestedAt, Instant finishedAt) {
}
