package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.PageCursor;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.audit.AuditEntry;
import dev.quarry.audit.AuditFilter;
import dev.quarry.audit.AuditTrail;
import dev.quarry.audit.ChainVerification;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * The audit trail: a tenant admin lists its own tenant's entries, an operator every tenant's (and the entries
 * of Quarry's own jobs, which have no tenant). Only an operator verifies the chain: it spans every tenant.
 */
@RestController
@RequestMapping("/api/v1/admin/audit")
class AuditController {
    private static final int MAX_PAGE = 200;
    private static final String CURSOR_PREFIX = "a1|";
    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    record AuditPage(List<AuditEntry> entries, String nextCursor) {
    }

    @Operation(summary = "Audit entries, newest first, filterable by tenant (operator), actor, action and time")
    @GetMapping
    AuditPage list(Caller caller, @RequestParam(required = false) String tenant,
                   @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                   @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                   @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
        TenantScope scope = TenantScope.of(caller, tenant);
        int size = PageCursor.limit(limit, MAX_PAGE);
        List<AuditEntry> entries = trail.page(new AuditFilter(scope.tenant(), blankToNull(actor), blankToNull(action),
                instant("from", from), instant("to", to), decode(cursor)), size);
        String next = entries.size() == size ? encode(entries.get(entries.size() - 1).seq()) : null;
        return new AuditPage(entries, next);
    }

    @Operation(summary = "Walk the hash chain and report the first entry that does not verify (operator only)")
    @GetMapping("/verify")
    ChainVerification verify(Caller caller) {
        if (!caller.isOperator()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN, "the chain spans every tenant: only the operator role verifies it");
        }
        return trail.verify();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Instant instant(String name, String value) {
        if (blankToNull(value) == null) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, name + " must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
        }
    }

    private static String encode(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static Long decode(String cursor) {
        if (blankToNull(cursor) == null) return null;
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (!raw.startsWith(CURSOR_PREFIX)) throw new IllegalArgumentException("format");
            return Long.parseLong(raw.substring(CURSOR_PREFIX.length()));
        } catch (RuntimeException e) {
            throw new ApiProblem(ProblemKind.INVALID_CURSOR, "the cursor is not one this API returned; start again without a cursor");
        }
    }
}
