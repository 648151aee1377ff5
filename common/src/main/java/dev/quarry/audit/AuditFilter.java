package dev.quarry.audit;

import java.time.Instant;

/**
 * Which entries to list; every field is optional. {@code tenant} null means every tenant (an operator's view):
 * a tenant admin's filter always carries its own tenant. {@code beforeSeq} is the cursor: entries older than it.
 */
public record AuditFilter(String tenant, String actor, String action, Instant from, Instant to, Long beforeSeq) {
}
