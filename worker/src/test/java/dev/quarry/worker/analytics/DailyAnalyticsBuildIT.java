package dev.quarry.worker.analytics;

import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * The recurring job that builds {@code analytics_daily}: yesterday's and today's rows from the requests, threads and
 * answers of each day; a re-run gives the same rows (nothing counted twice); JobRunr runs it on its interval.
 */
class DailyAnalyticsBuildIT extends WorkerContext {
    @Autowired DailyAnalyticsBuild build;
    @Autowired StorageProvider jobRunr;
    @Autowired JdbcTemplate jdbc;
    @Autowired Environment environment;

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @BeforeEach
    void seed() {
        Databases.truncateQuarryTables(jdbc);
        // Yesterday in acme: three requests of two users (one 404, one 500), durations 1, 2 and 3 ms.
        request("acme", "ann", 1, 200, 1_000);
        request("acme", "bob", 1, 404, 2_000);
        request("acme", "ann", 1, 500, 3_000);
        // Today: one request in acme, one without a tenant (refused before authentication).
        request("acme", "ann", 0, 200, 4_000);
        request(null, null, 0, 401, 500);
        // Two days ago: outside what a run rebuilds.
        request("acme", "ann", 2, 200, 1_000);
        UUID thread = thread("acme", "ann", 1);
        message(thread, "acme", "ann", "user", "{}", 1);
        message(thread, "acme", "ann", "assistant", "{\"inputTokens\": 120, \"outputTokens\": 30, \"costUsd\": 0.25}", 1);
        message(thread, "acme", "ann", "assistant", "{\"inputTokens\": \"not a number\"}", 1);
    }

    @Test
    void a_run_builds_yesterday_and_today_per_tenant_and_a_rerun_counts_nothing_twice() {
        assertThat(build.build()).isEqualTo(3);
        List<Map<String, Object>> first = rows();

        assertThat(first).hasSize(3);
        Map<String, Object> yesterday = first.get(0);
        assertThat(yesterday).containsEntry("day", Date.valueOf(today.minusDays(1))).containsEntry("tenant_id", "acme")
                .containsEntry("requests", 3L).containsEntry("client_errors", 1L).containsEntry("server_errors", 1L)
                .containsEntry("active_users", 2L).containsEntry("conversations_created", 1L)
                .containsEntry("messages", 3L).containsEntry("input_tokens", 120L).containsEntry("output_tokens", 30L)
                .containsEntry("cost_usd", 0.25).containsEntry("p50_ms", 2.0);
        assertThat((Double) yesterday.get("p95_ms")).isCloseTo(2.9, offset(1e-9));
        assertThat(first.get(1)).containsEntry("day", Date.valueOf(today)).containsEntry("tenant_id", "")
                .containsEntry("requests", 1L).containsEntry("client_errors", 1L).containsEntry("active_users", 0L);
        assertThat(first.get(2)).containsEntry("tenant_id", "acme").containsEntry("requests", 1L)
                .containsEntry("messages", 0L).containsEntry("p50_ms", 4.0);

        assertThat(build.build()).isEqualTo(3);
        assertThat(rows()).as("the same rows after a re-run").isEqualTo(first);
    }

    @Test
    void the_build_is_a_recurring_jobrunr_job_that_the_worker_runs() {
        RecurringJob recurring = jobRunr.getRecurringJobs().stream()
                .filter(job -> job.getId().equals(DailyAnalyticsBuild.RECURRING_JOB_ID))
                .findFirst().orElseThrow(() -> new AssertionError("no recurring job " + DailyAnalyticsBuild.RECURRING_JOB_ID));
        assertThat(recurring.getScheduleExpression()).isEqualTo(environment.getProperty("quarry.analytics.daily-interval"));
        assertThat(Duration.parse(recurring.getScheduleExpression())).isEqualTo(Duration.ofMinutes(15));

        // What JobRunr's master does when the interval elapses, without waiting for it.
        jobRunr.save(recurring.toEnqueuedJob());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> rows().size() == 3);
    }

    private List<Map<String, Object>> rows() {
        return jdbc.queryForList("select * from analytics_daily order by day, tenant_id").stream()
                .map(row -> {
                    Map<String, Object> copy = new LinkedHashMap<>(row);
                    copy.remove("built_at"); // when it was built, which a re-run changes
                    return copy;
                }).toList();
    }

    private void request(String tenant, String subject, int daysAgo, int status, int micros) {
        jdbc.update("""
                insert into api_requests (at, tenant_id, subject, method, route, status, duration_micros)
                values ((?::date + time '12:00' - make_interval(days => ?)) at time zone 'UTC', ?, ?, 'GET', '/api/v1/jobs', ?, ?)""",
                Date.valueOf(today), daysAgo, tenant, subject, status, micros);
    }

    private UUID thread(String tenant, String owner, int daysAgo) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into conversations (id, tenant_id, owner, title, created_at) "
                + "values (?, ?, ?, 't', (?::date + time '12:00' - make_interval(days => ?)) at time zone 'UTC')",
                id, tenant, owner, Date.valueOf(today), daysAgo);
        return id;
    }

    private void message(UUID thread, String tenant, String owner, String role, String metadata, int daysAgo) {
        jdbc.update("""
                insert into conversation_messages (id, conversation_id, tenant_id, owner, role, content, metadata, created_at)
                values (?, ?, ?, ?, ?, 'text', ?::jsonb, (?::date + time '12:00' - make_interval(days => ?)) at time zone 'UTC')""",
                UUID.randomUUID(), thread, tenant, owner, role, metadata, Date.valueOf(today), daysAgo);
    }
}
