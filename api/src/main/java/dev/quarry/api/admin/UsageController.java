package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Embedding usage and cost: a tenant admin sees its own tenant's, an operator one tenant's or the sum over
 * all. The security chain lets only those two roles in; {@link TenantScope} narrows the query.
 */
@RestController
@RequestMapping("/api/v1/admin/usage")
class UsageController {
    /** A report has one row per day and model: a year of them stays a small answer without pagination. */
    private static final int MAX_DAYS = 366;
    private static final int DEFAULT_DAYS = 30;
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
        LocalDate last = to == null ? LocalDate.now(ZoneOffset.UTC) : date("to", to);
        LocalDate first = from == null ? last.minusDays(DEFAULT_DAYS - 1) : date("from", from);
        if (first.isAfter(last)) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "from must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "a report spans at most " + MAX_DAYS + " days");
        }
        return usage.report(TenantScope.of(caller, tenant).tenant(), first, last);
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, name + " must be an ISO date such as 2026-01-31");
        }
    }
}
