package dev.quarry.audit;

import java.time.Instant;

/** One stored entry of the trail, in the order of its {@code seq} (gap-free, the order of the chain). */
public record AuditEntry(long seq, Instant at, String actor, String tenant, String role, String action, String target,
                         String outcome, String traceId) {
}
