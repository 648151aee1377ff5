package dev.quarry.api.admin;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Reads {@code embedding_usage}, which the worker's embed step writes (EmbeddingUsageRecorder). */
@Repository
class PgEmbeddingUsage {
    private final JdbcClient jdbc;

    PgEmbeddingUsage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Summed over tenants unless {@code tenant} is given; at most one row per day and model version. */
    UsageReport report(String tenant, LocalDate from, LocalDate to) {
        List<UsageReport.Day> days = jdbc.sql("""
                        select day, model, version, sum(tokens) as tokens, sum(segments) as segments,
                               sum(calls) as calls, sum(cost_usd) as cost_usd
                        from embedding_usage
                        where day between :from and :to and (cast(:tenant as text) is null or tenant_id = :tenant)
                        group by day, model, version
                        order by day, model, version""")
                .param("from", from).param("to", to).param("tenant", tenant)
                .query((rs, row) -> new UsageReport.Day(rs.getObject("day", LocalDate.class), rs.getString("model"),
                        rs.getString("version"), rs.getLong("tokens"), rs.getLong("segments"), rs.getLong("calls"),
                        rs.getBigDecimal("cost_usd")))
                .list();
        var totals = new UsageReport.Totals(
                days.stream().mapToLong(UsageReport.Day::tokens).sum(),
                days.stream().mapToLong(UsageReport.Day::segments).sum(),
                days.stream().mapToLong(UsageReport.Day::calls).sum(),
                days.stream().map(UsageReport.Day::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add));
        return new UsageReport(tenant, from, to, days, totals);
    }
}
