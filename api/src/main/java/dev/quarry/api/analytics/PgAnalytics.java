package dev.quarry.api.analytics;

import dev.quarry.analytics.MessageTokens;
import dev.quarry.api.analytics.AnalyticsReports.ApiUsage;
import dev.quarry.api.analytics.AnalyticsReports.Conversation;
import dev.quarry.api.analytics.AnalyticsReports.Conversations;
import dev.quarry.api.analytics.AnalyticsReports.DailyRow;
import dev.quarry.api.analytics.AnalyticsReports.DailyStats;
import dev.quarry.api.analytics.AnalyticsReports.Day;
import dev.quarry.api.analytics.AnalyticsReports.Endpoint;
import dev.quarry.api.analytics.AnalyticsReports.Messages;
import dev.quarry.api.analytics.AnalyticsReports.ModelTokens;
import dev.quarry.api.analytics.AnalyticsReports.Overview;
import dev.quarry.api.analytics.AnalyticsReports.Tokens;
import dev.quarry.api.analytics.AnalyticsReports.User;
import dev.quarry.api.analytics.AnalyticsReports.UserTokens;
import dev.quarry.api.analytics.AnalyticsReports.Users;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytics endpoints' queries. Only reads: {@code api_requests} and {@code analytics_daily} (owned by
 * {@code dev.quarry.analytics}), {@code conversations} and {@code conversation_messages} (owned by
 * {@code dev.quarry.conversations}; tokens and cost come from the answers' metadata). Every query is scoped in
 * SQL by the range's tenant (null: every tenant), so another tenant's row never leaves the database.
 */
@Repository
class PgAnalytics {
    private static final String TENANT = "(cast(:tenant as text) is null or tenant_id = :tenant)";
    private static final String M_TENANT = "(cast(:tenant as text) is null or m.tenant_id = :tenant)";
    private static final String REQUESTS_IN_RANGE = "from api_requests where at >= :start and at < :end and " + TENANT;
    private static final String MESSAGES_IN_RANGE = "from conversation_messages m where m.created_at >= :start "
            + "and m.created_at < :end and " + M_TENANT;
    private static final String TOKEN_SUMS = "sum(" + MessageTokens.INPUT + ") as input_tokens, sum("
            + MessageTokens.OUTPUT + ") as output_tokens, sum(" + MessageTokens.COST_USD + ") as cost_usd";
    private final JdbcClient jdbc;

    PgAnalytics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Overview overview(ReportRange range) {
        return query("""
                        with r as (select count(*) as requests,
                                          count(*) filter (where status between 400 and 499) as client_errors,
                                          count(*) filter (where status >= 500) as server_errors,
                                          count(distinct (tenant_id, subject)) filter (where subject is not null) as users
                                   %s),
                             m as (select count(*) as messages, %s %s)
                        select r.*, m.*,
                               (select count(*) from conversations where created_at >= :start and created_at < :end
                                  and %s) as conversations_created
                        from r, m""".formatted(REQUESTS_IN_RANGE, TOKEN_SUMS, MESSAGES_IN_RANGE, TENANT), range)
                .query((rs, i) -> {
                    long requests = rs.getLong("requests");
                    return new Overview(range.tenant(), range.from(), range.to(), requests, rs.getLong("client_errors"),
                            rs.getLong("server_errors"), rate(rs.getLong("server_errors"), requests), rs.getLong("users"),
                            activeUsers24h(range.tenant()), rs.getLong("conversations_created"), rs.getLong("messages"),
                            rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getDouble("cost_usd"));
                }).single();
    }

    Users users(ReportRange range) {
        List<User> top = query("""
                        with r as (select tenant_id, subject, count(*) as requests, max(at) as last_seen
                                   %s and subject is not null group by 1, 2),
                             q as (select m.tenant_id, m.owner as subject, count(*) as messages
                                   %s and m.role = 'user' group by 1, 2)
                        select coalesce(r.tenant_id, q.tenant_id) as tenant_id, coalesce(r.subject, q.subject) as subject,
                               coalesce(r.requests, 0) as requests, coalesce(q.messages, 0) as messages, r.last_seen
                        from r full join q on q.tenant_id = r.tenant_id and q.subject = r.subject
                        order by requests desc, messages desc, subject
                        limit :limit""".formatted(REQUESTS_IN_RANGE, MESSAGES_IN_RANGE), range)
                .query((rs, i) -> new User(rs.getString("tenant_id"), rs.getString("subject"), rs.getLong("requests"),
                        rs.getLong("messages"), instant(rs.getTimestamp("last_seen"))))
                .list();
        long users = query("select count(distinct (tenant_id, subject)) " + REQUESTS_IN_RANGE + " and subject is not null",
                range).query(Long.class).single();
        return new Users(range.tenant(), range.from(), range.to(), users, activeUsers24h(range.tenant()), top);
    }

    Conversations conversations(ReportRange range) {
        long created = query("select count(*) from conversations where created_at >= :start and created_at < :end and "
                + TENANT, range).query(Long.class).single();
        long active = query("select count(distinct m.conversation_id) " + MESSAGES_IN_RANGE, range).query(Long.class).single();
        return new Conversations(range.tenant(), range.from(), range.to(), created, active,
                perConversation(range, "messages"));
    }

    Messages messages(ReportRange range) {
        Map<String, Long> byRole = new LinkedHashMap<>();
        for (String role : List.of("user", "assistant", "system", "tool")) byRole.put(role, 0L);
        query("select m.role, count(*) as messages " + MESSAGES_IN_RANGE + " group by 1", range)
                .query((RowCallbackHandler) rs -> byRole.put(rs.getString("role"), rs.getLong("messages")));
        List<Day> perDay = query("""
                        select d::date as day, count(m.id) as messages
                        from generate_series(cast(:from as date), cast(:to as date), interval '1 day') d
                        left join conversation_messages m on m.created_at >= (d at time zone 'UTC')
                             and m.created_at < ((d + interval '1 day') at time zone 'UTC') and %s
                        group by 1 order by 1""".formatted(M_TENANT), range)
                .param("from", range.from()).param("to", range.to())
                .query((rs, i) -> new Day(rs.getObject("day", LocalDate.class), rs.getLong("messages"))).list();
        return new Messages(range.tenant(), range.from(), range.to(),
                byRole.values().stream().mapToLong(Long::longValue).sum(), byRole, perDay);
    }

    Tokens tokens(ReportRange range) {
        String answers = MESSAGES_IN_RANGE + " and m.role = 'assistant'";
        Tokens totals = query("select " + TOKEN_SUMS + " " + answers, range).query((rs, i) -> new Tokens(range.tenant(),
                range.from(), range.to(), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getDouble("cost_usd"), null, null, null)).single();
        List<UserTokens> perUser = query(ranked("select m.tenant_id, m.owner, count(*) as answers, " + TOKEN_SUMS + " "
                + answers + " group by 1, 2", "input_tokens + output_tokens desc, owner"), range)
                .query((rs, i) -> new UserTokens(rs.getString("tenant_id"), rs.getString("owner"), rs.getLong("answers"),
                        rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getDouble("cost_usd"))).list();
        List<ModelTokens> perModel = query(ranked("select m.metadata ->> 'provider' as provider, m.metadata ->> 'model' as model, "
                + "count(*) as answers, " + TOKEN_SUMS + " " + answers + " and m.metadata ->> 'model' is not null group by 1, 2",
                "input_tokens + output_tokens desc, provider, model"), range)
                .query((rs, i) -> new ModelTokens(rs.getString("provider"), rs.getString("model"), rs.getLong("answers"),
                        rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getDouble("cost_usd"))).list();
        return new Tokens(totals.tenant(), totals.from(), totals.to(), totals.inputTokens(), totals.outputTokens(),
                totals.costUsd(), perUser, perConversation(range, "tokens"), perModel);
    }

    ApiUsage apiUsage(ReportRange range) {
        List<Endpoint> endpoints = query("""
                        select method, route, count(*) as requests,
                               count(*) filter (where status between 400 and 499) as client_errors,
                               count(*) filter (where status >= 500) as server_errors,
                               percentile_cont(0.5) within group (order by duration_micros) / 1000.0 as p50_ms,
                               percentile_cont(0.95) within group (order by duration_micros) / 1000.0 as p95_ms
                        %s group by 1, 2 order by requests desc, route, method limit :limit""".formatted(REQUESTS_IN_RANGE),
                range)
                .query((rs, i) -> {
                    long requests = rs.getLong("requests");
                    return new Endpoint(rs.getString("method"), rs.getString("route"), requests,
                            rs.getLong("client_errors"), rs.getLong("server_errors"),
                            rate(rs.getLong("server_errors"), requests), rate(rs.getLong("client_errors"), requests),
                            rs.getDouble("p50_ms"), rs.getDouble("p95_ms"));
                }).list();
        long requests = query("select count(*) " + REQUESTS_IN_RANGE, range).query(Long.class).single();
        return new ApiUsage(range.tenant(), range.from(), range.to(), requests, endpoints);
    }

    DailyStats dailyStats(ReportRange range) {
        List<DailyRow> rows = jdbc.sql("select * from analytics_daily where day between :from and :to and " + TENANT
                        + " order by day, tenant_id")
                .param("from", range.from()).param("to", range.to()).param("tenant", range.tenant())
                .query(DAILY_ROW).list();
        return new DailyStats(range.tenant(), range.from(), range.to(), rows);
    }

    private static final RowMapper<DailyRow> DAILY_ROW = (rs, i) -> new DailyRow(rs.getObject("day", LocalDate.class),
            rs.getString("tenant_id"), rs.getLong("requests"), rs.getLong("client_errors"), rs.getLong("server_errors"),
            rs.getObject("p50_ms", Double.class), rs.getObject("p95_ms", Double.class), rs.getLong("active_users"),
            rs.getLong("conversations_created"), rs.getLong("messages"), rs.getLong("input_tokens"),
            rs.getLong("output_tokens"), rs.getDouble("cost_usd"), instant(rs.getTimestamp("built_at")));

    /** The conversations with the most messages ("messages") or tokens ("tokens") in the range. */
    private List<Conversation> perConversation(ReportRange range, String by) {
        String order = by.equals("tokens") ? "input_tokens + output_tokens desc, messages desc"
                : "messages desc, input_tokens + output_tokens desc";
        return query(ranked("select m.conversation_id, m.tenant_id, m.owner, count(*) as messages, " + TOKEN_SUMS + " "
                + MESSAGES_IN_RANGE + " group by 1, 2, 3", order + ", conversation_id"), range)
                .query((rs, i) -> new Conversation(rs.getString("conversation_id"), rs.getString("tenant_id"),
                        rs.getString("owner"), rs.getLong("messages"), rs.getLong("input_tokens"),
                        rs.getLong("output_tokens"), rs.getDouble("cost_usd"))).list();
    }

    /** The first {@code :limit} rows of a grouped query, in an order that may add up its sums. */
    private static String ranked(String grouped, String order) {
        return "select * from (" + grouped + ") t order by " + order + " limit :limit";
    }

    /** Users with at least one request in the last 24 hours, whatever the range. */
    private long activeUsers24h(String tenant) {
        return jdbc.sql("select count(distinct (tenant_id, subject)) from api_requests where at >= now() - interval '24 hours' "
                        + "and subject is not null and " + TENANT)
                .param("tenant", tenant).query(Long.class).single();
    }

    private JdbcClient.StatementSpec query(String sql, ReportRange range) {
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("tenant", range.tenant())
                .param("start", range.start()).param("end", range.end());
        return sql.contains(":limit") ? statement.param("limit", range.limit()) : statement;
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
