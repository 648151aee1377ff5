package dev.quarry.api.budgets;

import dev.quarry.api.admin.TenantScope;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import io.swagger.v3.oas.annotations.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * A caller's budgets of today (any caller, its own), and raising one for the day: a tenant's by an operator,
 * a user's by its tenant's admin or an operator. Raises are logged as {@code audit} events.
 */
@RestController
class BudgetsController {
    private static final Logger audit = LoggerFactory.getLogger("dev.quarry.audit.budgets");
    private final Budgets budgets;

    BudgetsController(Budgets budgets) {
        this.budgets = budgets;
    }

    record Amount(Object limit, Object used, Object remaining) {
    }

    record Line(String scope, Amount tokens, Amount costUsd) {
        static Line of(BudgetLine line) {
            return new Line(line.scope().column(),
                    new Amount(line.tokenLimit(), line.tokensUsed(), line.tokensRemaining()),
                    new Amount(line.costLimit(), line.costUsed(), line.costRemaining()));
        }
    }

    record BudgetView(String day, String resetsAt, List<Line> budgets) {
    }

    record BudgetRaise(Long tokens, BigDecimal costUsd) {
    }

    @Operation(summary = "Today's token and cost budgets of the caller and its tenant: limit (null = unlimited), "
            + "used and remaining, and when they reset")
    @GetMapping("/api/v1/budgets")
    BudgetView mine(Caller caller) {
        return view(caller.tenant(), caller.subject());
    }

    @Operation(summary = "Raise a tenant's budget for today; operators only")
    @PutMapping("/api/v1/admin/budgets/tenants/{tenant}/today")
    BudgetView raiseTenant(Caller caller, @PathVariable String tenant, @RequestBody BudgetRaise raise) {
        if (!caller.isOperator()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN, "a tenant's budget is raised by an operator");
        }
        return raise(caller, BudgetScope.TENANT, tenant, null, raise);
    }

    @Operation(summary = "Raise a user's budget for today; the tenant's admin or an operator (?tenant=)")
    @PutMapping("/api/v1/admin/budgets/users/{subject}/today")
    BudgetView raiseUser(Caller caller, @PathVariable String subject, @RequestParam(required = false) String tenant,
                         @RequestBody BudgetRaise raise) {
        String scoped = TenantScope.of(caller, tenant).tenant();
        if (scoped == null) throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "name the user's tenant (?tenant=)");
        return raise(caller, BudgetScope.USER, scoped, subject, raise);
    }

    private BudgetView raise(Caller caller, BudgetScope scope, String tenant, String subject, BudgetRaise raise) {
        if (raise == null || (raise.tokens() == null && raise.costUsd() == null)
                || (raise.tokens() != null && raise.tokens() < 1)
                || (raise.costUsd() != null && raise.costUsd().signum() <= 0)) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "give tokens and/or costUsd, each above 0");
        }
        budgets.raise(scope, tenant, subject, new PgBudgets.Raise(raise.tokens(), raise.costUsd()), caller.subject());
        audit.info("audit {} {} {} {} {} {} {}", kv("event", "budget.raised"), kv("actor", caller.subject()),
                kv("actorTenant", caller.tenant()), kv("scope", scope.column()), kv("tenant", tenant),
                kv("subject", subject), kv("raise", raise.tokens() + " tokens, " + raise.costUsd() + " USD"));
        return view(tenant, subject);
    }

    private BudgetView view(String tenant, String subject) {
        return new BudgetView(budgets.today().toString(), budgets.resetsAt().toInstant().toString(),
                budgets.today(tenant, subject).stream().map(Line::of).toList());
    }
}
