package dev.quarry.api.budgets;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The owner of {@code budget_usage} and {@code budget_raises}. A charge is one conditional UPDATE: PostgreSQL
 * locks the row, and a concurrent charge waits and re-checks the condition against the committed total, so
 * the budget is never overshot however many requests race for it. The lock is held until the caller's
 * transaction ends: an upload's charge commits or rolls back with the upload.
 */
@Component
class PgBudgets {
    private final JdbcClient jdbc;

    PgBudgets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds the amounts if they fit in the limits (null = unlimited); false, and nothing added, if not. */
    boolean charge(BudgetScope scope, String key, LocalDate day, long tokens, BigDecimal cost, Long tokenLimit,
                   BigDecimal costLimit) {
        jdbc.sql("insert into budget_usage (scope, key, day) values (?, ?, ?) on conflict do nothing")
                .params(scope.column(), key, day).update();
        return jdbc.sql("""
                        update budget_usage set tokens = tokens + :tokens, cost_usd = cost_usd + :cost
                        where scope = :scope and key = :key and day = :day
                          and (cast(:tokenLimit as bigint) is null or tokens + :tokens <= :tokenLimit)
                          and (cast(:costLimit as numeric) is null or cost_usd + :cost <= :costLimit)""")
                .param("tokens", tokens).param("cost", cost).param("scope", scope.column()).param("key", key)
                .param("day", day).param("tokenLimit", tokenLimit).param("costLimit", costLimit)
                .update() == 1;
    }

    record Used(long tokens, BigDecimal cost) {
        static final Used NONE = new Used(0, BigDecimal.ZERO);
    }

    Used used(BudgetScope scope, String key, LocalDate day) {
        return jdbc.sql("select tokens, cost_usd from budget_usage where scope = ? and key = ? and day = ?")
                .params(scope.column(), key, day)
                .query((rs, row) -> new Used(rs.getLong(1), rs.getBigDecimal(2).stripTrailingZeros()))
                .optional().orElse(Used.NONE);
    }

    record Raise(Long tokens, BigDecimal cost) {
    }

    Optional<Raise> raise(BudgetScope scope, String key, LocalDate day) {
        return jdbc.sql("select tokens, cost_usd from budget_raises where scope = ? and key = ? and day = ?")
                .params(scope.column(), key, day)
                .query((rs, row) -> new Raise((Long) rs.getObject(1), rs.getBigDecimal(2)))
                .optional();
    }

    /** Sets the day's budget of {@code key}; a field left null keeps the configured limit. */
    void raise(BudgetScope scope, String key, LocalDate day, Raise raise, String by) {
        jdbc.sql("""
                        insert into budget_raises (scope, key, day, tokens, cost_usd, raised_by) values (?, ?, ?, ?, ?, ?)
                        on conflict (scope, key, day) do update set tokens = excluded.tokens,
                            cost_usd = excluded.cost_usd, raised_by = excluded.raised_by, raised_at = now()""")
                .params(scope.column(), key, day, raise.tokens(), raise.cost(), by).update();
    }
}
