package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.retention.ExpiredRows;
import dev.quarry.retention.RetentionPlan;
import dev.quarry.retention.RetentionPolicies;
import dev.quarry.retention.RetentionPolicy;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Retention: a tenant's policy (or a collection's, for documents), and the dry run of the next sweep. A
 * tenant admin reads and sets its own tenant's; an operator names the tenant, and may dry-run every tenant.
 */
@RestController
@RequestMapping("/api/v1/admin/retention")
class RetentionController {
    private final RetentionPolicies policies;
    private final ExpiredRows expired;

    RetentionController(RetentionPolicies policies, ExpiredRows expired) {
        this.policies = policies;
        this.expired = expired;
    }

    /** ISO-8601 durations such as {@code P30D}; absent inherits. */
    record PolicyBody(String documents, String jobs, String deadLetters) {
    }

    @Operation(summary = "What the next retention sweep would delete, counted per kind; nothing is deleted")
    @GetMapping("/dry-run")
    RetentionPlan dryRun(Caller caller, @RequestParam(required = false) String tenant) {
        return expired.plan(TenantScope.of(caller, tenant).tenant());
    }

    @Operation(summary = "The stored policy of the tenant, or of one collection (null periods inherit)")
    @GetMapping("/policy")
    PolicyBody policy(Caller caller, @RequestParam(required = false) String tenant,
                      @RequestParam(required = false) String collection) {
        RetentionPolicy policy = policies.find(tenantOf(caller, tenant), collection);
        return new PolicyBody(text(policy.documents()), text(policy.jobs()), text(policy.deadLetters()));
    }

    @Operation(summary = "Replace the tenant's policy, or a collection's (documents only), e.g. {\"documents\":\"P30D\"}")
    @PutMapping("/policy")
    PolicyBody setPolicy(Caller caller, @RequestParam(required = false) String tenant,
                         @RequestParam(required = false) String collection, @RequestBody(required = false) PolicyBody body) {
        if (body == null) throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "the body must be {\"documents\": \"P180D\", …}");
        boolean forCollection = collection != null && !collection.isBlank();
        if (forCollection && (body.jobs() != null || body.deadLetters() != null)) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "a collection's policy sets only documents");
        }
        RetentionPolicy policy = new RetentionPolicy(period("documents", body.documents()), period("jobs", body.jobs()),
                period("deadLetters", body.deadLetters()));
        policies.save(tenantOf(caller, tenant), forCollection ? collection : null, policy);
        return body;
    }

    private static String tenantOf(Caller caller, String requested) {
        String tenant = TenantScope.of(caller, requested).tenant();
        if (tenant == null) throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "an operator names the tenant");
        return tenant;
    }

    private static Duration period(String name, String value) {
        if (value == null) return null;
        try {
            Duration period = Duration.parse(value);
            if (period.isNegative() || period.isZero() || period.compareTo(Duration.ofDays(36_500)) > 0) {
                throw new ApiProblem(ProblemKind.INVALID_PARAMETER, name + " must be a positive period of at most 100 years");
            }
            return period;
        } catch (DateTimeParseException e) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, name + " must be an ISO-8601 period, e.g. P30D");
        }
    }

    private static String text(Duration duration) {
        if (duration == null) return null;
        return duration.toSeconds() % 86_400 == 0 ? "P" + duration.toDays() + "D" : duration.toString();
    }
}
