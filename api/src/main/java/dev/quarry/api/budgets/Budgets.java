package dev.quarry.api.budgets;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.embedding.usage.EmbeddingUsageRecorder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Daily token and cost budgets, checked when a request is accepted: the request's estimated tokens (and
 * their cost at the configured model's price) are charged to its tenant's and its user's budget of the day,
 * or it is refused with 429 {@code budget-exceeded}. Work already accepted is never dropped for budget
 * reasons: the check happens only here. Unlimited budgets (the default) cost no query.
 */
@Component
@EnableConfigurationProperties(BudgetProperties.class)
public class Budgets {
    private final PgBudgets store;
    private final BudgetProperties properties;
    private final EmbeddingUsageRecorder prices;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Budgets(PgBudgets store, BudgetProperties properties, EmbeddingUsageRecorder prices,
            TransactionTemplate transactions) {
        this.store = store;
        this.properties = properties;
        this.prices = prices;
        this.transactions = transactions;
        this.clock = Clock.systemUTC();
    }

    /** The tokens charged for an upload of {@code bytes}: an estimate, its text is extracted later. */
    public long estimateForBytes(long bytes) {
        return Math.max(1, (bytes + properties.bytesPerToken() - 1) / properties.bytesPerToken());
    }

    /**
     * Charges {@code tokens} to the tenant's and the user's budget of today, inside the caller's transaction
     * when there is one (so that a request that fails later gives them back), else in its own.
     *
     * @throws ApiProblem budget-exceeded (429) naming the budget, what was used and when it resets
     */
    public void admit(String tenant, String subject, long tokens) {
        if (properties.tenant().dailyTokens() == null && properties.tenant().dailyCost() == null
                && properties.user().dailyTokens() == null && properties.user().dailyCost() == null) {
            return;
        }
        BigDecimal cost = prices.cost(tokens);
        LocalDate day = today();
        transactions.executeWithoutResult(status -> {
            // Tenant first, then user: every charge takes the row locks in the same order (no deadlock).
            for (BudgetScope scope : List.of(BudgetScope.TENANT, BudgetScope.USER)) {
                BudgetLine line = line(scope, tenant, subject, day);
                if (line.unlimited()) continue;
                String key = BudgetScope.key(scope, tenant, subject);
                if (!store.charge(scope, key, day, tokens, cost, line.tokenLimit(), line.costLimit())) {
                    throw exceeded(line(scope, tenant, subject, day), tokens, cost);
                }
            }
        });
    }

    /** A caller's budgets of today, for the usage endpoint. */
    List<BudgetLine> today(String tenant, String subject) {
        LocalDate day = today();
        if (subject == null) return List.of(line(BudgetScope.TENANT, tenant, null, day));
        return List.of(line(BudgetScope.TENANT, tenant, subject, day), line(BudgetScope.USER, tenant, subject, day));
    }

    void raise(BudgetScope scope, String tenant, String subject, PgBudgets.Raise raise, String by) {
        store.raise(scope, BudgetScope.key(scope, tenant, subject), today(), raise, by);
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(properties.zone()));
    }

    ZonedDateTime resetsAt() {
        return today().plusDays(1).atStartOfDay(properties.zone());
    }

    private BudgetLine line(BudgetScope scope, String tenant, String subject, LocalDate day) {
        BudgetProperties.Limits configured = scope == BudgetScope.TENANT ? properties.tenant() : properties.user();
        String key = BudgetScope.key(scope, tenant, subject);
        PgBudgets.Raise raise = store.raise(scope, key, day).orElse(new PgBudgets.Raise(null, null));
        PgBudgets.Used used = store.used(scope, key, day);
        // A raise lifts a configured limit for the day; it never limits what is unlimited, nor lowers a limit.
        Long tokens = configured.dailyTokens() == null ? null
                : raise.tokens() == null ? configured.dailyTokens() : Math.max(raise.tokens(), configured.dailyTokens());
        BigDecimal cost = configured.dailyCost() == null ? null
                : raise.cost() == null ? configured.dailyCost() : raise.cost().max(configured.dailyCost());
        return new BudgetLine(scope, tokens, cost, used.tokens(), used.cost());
    }

    private ApiProblem exceeded(BudgetLine line, long tokens, BigDecimal cost) {
        boolean byTokens = line.tokenLimit() != null && line.tokensUsed() + tokens > line.tokenLimit();
        String budget = line.scope().column() + (byTokens ? "-daily-tokens" : "-daily-cost");
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("budget", budget);
        members.put("limit", byTokens ? line.tokenLimit() : line.costLimit());
        members.put("used", byTokens ? line.tokensUsed() : line.costUsed());
        members.put("requested", byTokens ? tokens : cost);
        ZonedDateTime resetsAt = resetsAt();
        members.put("resetsAt", resetsAt.toInstant().toString());
        long retryAfter = Math.max(1, Duration.between(clock.instant(), resetsAt.toInstant()).toSeconds());
        return new ApiProblem(ProblemKind.BUDGET_EXCEEDED, "the " + budget + " budget is used up: "
                + members.get("used") + " of " + members.get("limit") + " used, this request needs "
                + members.get("requested") + "; it resets at " + members.get("resetsAt"), members, retryAfter);
    }
}
