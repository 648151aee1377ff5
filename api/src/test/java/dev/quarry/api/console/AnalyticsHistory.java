package dev.quarry.api.console;

import dev.quarry.analytics.DailyAnalytics;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A week of a tenant's past: requests of three users and their chat answers with tokens and cost, and the daily
 * aggregates of those days, so that the analytics dashboard has something to draw besides the requests the
 * browser scenario makes.
 */
final class AnalyticsHistory {
    private static final String[] USERS = {"ana@example.org", "ben@example.org", "chloe@example.org"};
    private static final String[] ROUTES = {"GET /api/v1/search", "POST /api/v1/documents", "GET /api/v1/jobs/{id}",
            "POST /api/v1/conversations/{id}/chat"};

    private AnalyticsHistory() {
    }

    static void seed(JdbcTemplate jdbc, DailyAnalytics daily, String tenant) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        UUID[] threads = new UUID[USERS.length];
        for (int u = 0; u < USERS.length; u++) {
            threads[u] = UUID.randomUUID();
            jdbc.update("insert into conversations (id, tenant_id, owner, title, created_at) values (?, ?, ?, ?, ?)",
                    threads[u], tenant, USERS[u], "Questions of " + USERS[u], at(today.minusDays(6), 0));
        }
        for (int back = 6; back >= 0; back--) {
            LocalDate day = today.minusDays(back);
            for (int i = 0; i < 20 + 7 * ((back * 5) % 6); i++) {
                String[] route = ROUTES[i % ROUTES.length].split(" ");
                int status = i % 17 == 0 ? 500 : i % 9 == 0 ? 404 : 200;
                if (back > 0) {
                    jdbc.update("insert into api_requests (at, tenant_id, subject, method, route, status, duration_micros) "
                            + "values (?, ?, ?, ?, ?, ?, ?)", at(day, i), tenant, USERS[i % USERS.length], route[0],
                            route[1], status, 2_000 + (i * 7_919) % 40_000 * (route[0].equals("POST") ? 3 : 1));
                }
            }
            for (int q = 0; q <= (back * 3) % 5; q++) {
                int u = q % USERS.length;
                message(jdbc, threads[u], tenant, USERS[u], "user", "{}", at(day, q));
                message(jdbc, threads[u], tenant, USERS[u], "assistant", """
                        {"provider": "openai", "model": "gpt-4o-mini", "inputTokens": %d, "outputTokens": %d, "costUsd": %s}"""
                        .formatted(900 + 150 * q, 180 + 40 * q, (900 + 150 * q) * 0.15e-6 + (180 + 40 * q) * 0.6e-6),
                        Timestamp.from(at(day, q).toInstant().plusSeconds(3)));
            }
            if (back > 0) daily.build(day);
        }
    }

    private static void message(JdbcTemplate jdbc, UUID thread, String tenant, String owner, String role, String metadata,
                                Timestamp at) {
        jdbc.update("insert into conversation_messages (id, conversation_id, tenant_id, owner, role, content, metadata, "
                        + "created_at) values (?, ?, ?, ?, ?, 'text', ?::jsonb, ?)", UUID.randomUUID(), thread, tenant, owner,
                role, metadata, at);
    }

    /** A time in the morning of the day (UTC), a minute per index, so today's are in the past too. */
    private static Timestamp at(LocalDate day, int index) {
        Instant morning = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(1, ChronoUnit.HOURS);
        Instant at = morning.plus(index, ChronoUnit.MINUTES);
        return Timestamp.from(at.isAfter(Instant.now()) ? Instant.now().minusSeconds(index + 5) : at);
    }
}
