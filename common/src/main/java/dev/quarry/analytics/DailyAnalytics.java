package dev.quarry.analytics;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The one owner of {@code analytics_daily}: one row per UTC day and tenant, built from {@code api_requests},
 * {@code conversations} and {@code conversation_messages}. {@link #build} replaces a day's rows whole in one
 * transaction, so running it again for a day (a retry, a second worker, a later run that sees more) gives
 * that day's figures once, never twice. Requests without a tenant are counted under the tenant {@code ''}.
 */
@Repository
public class DailyAnalytics {
    private static final String BUILD = """
            insert into analytics_daily (day, tenant_id, requests, client_errors, server_errors, p50_ms, p95_ms,
                                         active_users, conversations_created, messages, input_tokens, output_tokens,
                                         cost_usd)
            with r as (
                select coalesce(tenant_id, '') as tenant_id, count(*) as requests,
                       count(*) filter (where status between 400 and 499) as client_errors,
                       count(*) filter (where status >= 500) as server_errors,
                       percentile_cont(0.5) within group (order by duration_micros) / 1000.0 as p50_ms,
                       percentile_cont(0.95) within group (order by duration_micros) / 1000.0 as p95_ms,
                       count(distinct subject) as active_users
                from api_requests where at >= :start and at < :end group by 1),
            c as (
                select tenant_id, count(*) as created from conversations
                where created_at >= :start and created_at < :end group by 1),
            m as (
                select m.tenant_id, count(*) as messages, sum(%s) as input_tokens, sum(%s) as output_tokens,
                       sum(%s) as cost_usd
                from conversation_messages m where m.created_at >= :start and m.created_at < :end group by 1),
            t as (select tenant_id from r union select tenant_id from c union select tenant_id from m)
            select :day, t.tenant_id, coalesce(r.requests, 0), coalesce(r.client_errors, 0),
                   coalesce(r.server_errors, 0), r.p50_ms, r.p95_ms, coalesce(r.active_users, 0),
                   coalesce(c.created, 0), coalesce(m.messages, 0), coalesce(m.input_tokens, 0),
                   coalesce(m.output_tokens, 0), coalesce(m.cost_usd, 0)
            from t left join r using (tenant_id) left join c using (tenant_id) left join m using (tenant_id)
            """.formatted(MessageTokens.INPUT, MessageTokens.OUTPUT, MessageTokens.COST_USD);
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    DailyAnalytics(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Rebuilds one UTC day's rows; returns how many tenants it has. */
    public int build(LocalDate day) {
        Timestamp start = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp end = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        return tx.execute(status -> {
            // Two builds at once (a manual run beside the recurring one) take turns instead of colliding on the key.
            jdbc.sql("select pg_advisory_xact_lock(hashtext('quarry.analytics_daily'))").query(Object.class).single();
            jdbc.sql("delete from analytics_daily where day = ?").param(Date.valueOf(day)).update();
            return jdbc.sql(BUILD).param("day", Date.valueOf(day)).param("start", start).param("end", end).update();
        });
    }
}
