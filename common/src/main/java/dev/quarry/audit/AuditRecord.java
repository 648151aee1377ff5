package dev.quarry.audit;

/**
 * What happened, as a caller appends it to the trail. {@code actor} is the token's {@code sub} (or
 * {@code system:<job>} for Quarry's own jobs), {@code tenant} null for an action across tenants, {@code target}
 * what was acted on (e.g. {@code id=…}), {@code outcome} {@code succeeded}, {@code rejected} or {@code failed}
 * with a detail. Never put document content or other personal data in {@code target} or {@code outcome}:
 * the trail outlives the data it describes.
 */
public record AuditRecord(String actor, String tenant, String role, String action, String target, String outcome,
                          String traceId) {

    public AuditRecord {
        if (actor == null || actor.isBlank()) throw new IllegalArgumentException("an audit record needs an actor");
        if (role == null || role.isBlank()) throw new IllegalArgumentException("an audit record needs a role");
        if (action == null || action.isBlank()) throw new IllegalArgumentException("an audit record needs an action");
        if (outcome == null || outcome.isBlank()) throw new IllegalArgumentException("an audit record needs an outcome");
    }

    /** An action of one of Quarry's own jobs (a retention sweep, an erasure): no token, no trace. */
    public static AuditRecord system(String job, String tenant, String action, String target, String outcome) {
        return new AuditRecord("system:" + job, tenant, "system", action, target, outcome, null);
    }
}
