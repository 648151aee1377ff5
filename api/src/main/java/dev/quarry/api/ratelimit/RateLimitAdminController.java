package dev.quarry.api.ratelimit;

import dev.quarry.api.admin.TenantScope;
import dev.quarry.api.ratelimit.RateLimitProperties.TierLimits;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import io.swagger.v3.oas.annotations.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Rate-limit administration: a user's buckets (read, reset) for its tenant's admin or an operator; the
 * tiers' limits, which hold for every tenant, are changed by operators only. Changes are logged as
 * {@code audit} events with the actor, until the audit trail records them.
 */
@RestController
@RequestMapping("/api/v1/admin/rate-limits")
@ConditionalOnProperty(name = "quarry.rate-limit.enabled", matchIfMissing = true)
class RateLimitAdminController {
    private static final Logger audit = LoggerFactory.getLogger("dev.quarry.audit.ratelimit");
    private static final Pattern TIER_NAME = Pattern.compile("[a-z0-9-]{1,40}");
    private final PgRateLimitTiers tiers;
    private final SharedBucketStates states;

    RateLimitAdminController(PgRateLimitTiers tiers, SharedBucketStates states) {
        this.tiers = tiers;
        this.states = states;
    }

    record TierView(String tier, long userPerWindow, long tenantPerWindow, long version) {
        static TierView of(Tier tier) {
            return new TierView(tier.name(), tier.limits().user(), tier.limits().tenant(), tier.version());
        }
    }

    record TierChange(Long userPerWindow, Long tenantPerWindow) {
    }

    record UserLimits(String tenant, String subject, List<SharedBucketStates.BucketView> buckets) {
    }

    @Operation(summary = "The subscription tiers and their limits per window")
    @GetMapping("/tiers")
    List<TierView> tiers() {
        return tiers.tiers().values().stream().map(TierView::of).toList();
    }

    @Operation(summary = "Change (or add) a tier's limits for every tenant; operators only")
    @PutMapping("/tiers/{tier}")
    TierView changeTier(Caller caller, @PathVariable String tier, @RequestBody TierChange change) {
        if (!caller.isOperator()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN, "tiers hold for every tenant: only an operator changes them");
        }
        if (!TIER_NAME.matcher(tier).matches()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "a tier name is 1 to 40 of a-z, 0-9 and -");
        }
        if (change == null || change.userPerWindow() == null || change.tenantPerWindow() == null
                || change.userPerWindow() < 1 || change.tenantPerWindow() < 1) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER,
                    "userPerWindow and tenantPerWindow are required, each at least 1");
        }
        Tier updated = tiers.update(tier, new TierLimits(change.userPerWindow(), change.tenantPerWindow()));
        audit.info("audit {} {} {} {} {}", kv("event", "rate_limit.tier_changed"), kv("actor", caller.subject()),
                kv("actorTenant", caller.tenant()), kv("tier", tier),
                kv("limits", change.userPerWindow() + "/" + change.tenantPerWindow()));
        return TierView.of(updated);
    }

    @Operation(summary = "A user's current buckets (one per tier it has used recently) and its tenant's")
    @GetMapping("/users/{subject}")
    UserLimits user(Caller caller, @PathVariable String subject, @RequestParam(required = false) String tenant) {
        String scoped = tenantOf(caller, tenant);
        return new UserLimits(scoped, subject, states.of(scoped, subject, allTiers()));
    }

    @Operation(summary = "Reset a user's buckets: its next request finds them full")
    @DeleteMapping("/users/{subject}")
    ResponseEntity<Void> reset(Caller caller, @PathVariable String subject,
                               @RequestParam(required = false) String tenant) {
        String scoped = tenantOf(caller, tenant);
        states.reset(scoped, subject, allTiers());
        audit.info("audit {} {} {} {} {}", kv("event", "rate_limit.user_reset"), kv("actor", caller.subject()),
                kv("actorTenant", caller.tenant()), kv("tenant", scoped), kv("subject", subject));
        return ResponseEntity.noContent().build();
    }

    private Collection<Tier> allTiers() {
        return tiers.tiers().values();
    }

    /** The user's tenant: the caller's own, or for an operator the one it names (required then). */
    private static String tenantOf(Caller caller, String requested) {
        String tenant = TenantScope.of(caller, requested).tenant();
        if (tenant == null) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "an operator names the user's tenant (?tenant=)");
        }
        return tenant;
    }
}
