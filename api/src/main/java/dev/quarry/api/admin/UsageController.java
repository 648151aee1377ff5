package dev.quarry.api.admin;

import dev.quarry.api.web.Caller;
import dev.quarry.api.web.DayRange;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Embedding usage and cost: a tenant admin sees its own tenant's, an operator one tenant's or the sum over
 * all. The security chain lets only those two roles in; {@link TenantScope} narrows the query.
 */
@RestController
@RequestMapping("/api/v1/admin/usage")
class UsageController {
    private final PgEmbeddingUsage usage;

    UsageController(PgEmbeddingUsage usage) {
        this.usage = usage;
    }

    @Operation(summary = "Embedding tokens, calls and cost per UTC day and model version, for one tenant or all; "
            + "from and to are ISO dates, both included (default: the last 30 days)")
    @GetMapping
    UsageReport report(Caller caller, @RequestParam(required = false) String tenant,
                       @RequestParam(required = false) String from,
                       @RequestParam(required = false) String to) {
        DayRange days = DayRange.parse(from, to);
        return usage.report(TenantScope.of(caller, tenant).tenant(), days.from(), days.to());
    }
}
