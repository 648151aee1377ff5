package dev.quarry.api.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.analytics.DailyAnalytics;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * Each analytics endpoint's figures on seeded requests, threads and answers of two tenants, as a tenant admin (its
 * own tenant only) and as an operator (every tenant, or the one it names), and its answers to bad input.
 */
class AnalyticsIT extends ApiIntegrationTest {
    private static final String DAYS = "from=2026-03-01&to=2026-03-03";
    @Autowired DailyAnalytics daily;

    private final String acme = "acme-" + UUID.randomUUID();
    private final String globex = "globex-" + UUID.randomUUID();
    private final String acmeAdmin = TestTokens.forTenant(acme, "tenant-admin");
    private final String operator = TestTokens.forTenant("ops", "operator");
    private UUID annsThread, bobsThread;

    @BeforeEach
    void seed() {
        // acme, 2026-03-01: ann 3 searches (10, 20, 30 ms; one 500), bob 1 upload (400 ms, a 400); 2026-03-02: ann 1.
        request(acme, "ann", "2026-03-01T10:00:00Z", "GET", "/api/v1/search", 200, 10_000);
        request(acme, "ann", "2026-03-01T10:01:00Z", "GET", "/api/v1/search", 200, 20_000);
        request(acme, "ann", "2026-03-01T10:02:00Z", "GET", "/api/v1/search", 500, 30_000);
        request(acme, "bob", "2026-03-01T11:00:00Z", "POST", "/api/v1/documents", 400, 400_000);
        request(acme, "ann", "2026-03-02T09:00:00Z", "GET", "/api/v1/jobs", 200, 5_000);
        // Outside the range, and another tenant.
        request(acme, "ann", "2026-02-28T23:59:59Z", "GET", "/api/v1/jobs", 200, 5_000);
        request(globex, "gus", "2026-03-01T10:00:00Z", "GET", "/api/v1/search", 200, 1_000);
        annsThread = thread(acme, "ann", "2026-03-01T10:00:00Z");
        message(annsThread, acme, "ann", "user", "{}", "2026-03-01T10:00:00Z");
        message(annsThread, acme, "ann", "assistant", tokens("openai", "gpt-4o-mini", 1000, 200, 0.5), "2026-03-01T10:00:05Z");
        message(annsThread, acme, "ann", "user", "{}", "2026-03-02T10:00:00Z");
        message(annsThread, acme, "ann", "assistant", tokens("openai", "gpt-4o-mini", 1500, 300, 0.75), "2026-03-02T10:00:05Z");
        bobsThread = thread(acme, "bob", "2026-03-02T12:00:00Z");
        message(bobsThread, acme, "bob", "user", "{}", "2026-03-02T12:00:00Z");
        message(bobsThread, acme, "bob", "assistant", "{\"extractive\": true, \"inputTokens\": 0, \"outputTokens\": 0}",
                "2026-03-02T12:00:02Z");
        UUID gusThread = thread(globex, "gus", "2026-03-01T10:00:00Z");
        message(gusThread, globex, "gus", "assistant", tokens("anthropic", "claude-3-5-haiku", 99, 9, 0.01), "2026-03-01T10:00:05Z");
    }

    @Test
    void the_overview_totals_one_tenants_range() {
        JsonNode overview = json(get("/api/v1/admin/analytics/overview?" + DAYS, acmeAdmin));

        assertThat(overview.path("tenant").asText()).isEqualTo(acme);
        assertThat(overview.path("requests").asLong()).isEqualTo(5);
        assertThat(overview.path("clientErrors").asLong()).isEqualTo(1);
        assertThat(overview.path("serverErrors").asLong()).isEqualTo(1);
        assertThat(overview.path("errorRate").asDouble()).isEqualTo(0.2);
        assertThat(overview.path("users").asLong()).isEqualTo(2);
        assertThat(overview.path("conversationsCreated").asLong()).isEqualTo(2);
        assertThat(overview.path("messages").asLong()).isEqualTo(6);
        assertThat(overview.path("inputTokens").asLong()).isEqualTo(2500);
        assertThat(overview.path("outputTokens").asLong()).isEqualTo(500);
        assertThat(overview.path("costUsd").asDouble()).isEqualTo(1.25);
    }

    @Test
    void active_users_over_24_hours_count_the_last_days_callers_whatever_the_range() {
        request(acme, "cy", Instant.now().minusSeconds(3600).toString(), "GET", "/api/v1/jobs", 200, 1_000);
        request(acme, "dee", Instant.now().minusSeconds(25 * 3600).toString(), "GET", "/api/v1/jobs", 200, 1_000);
        // The operator asks: its own requests, tracked as they are answered, are in its tenant, not in acme.
        String acmeOnly = "?tenant=" + acme + "&" + DAYS;

        assertThat(json(get("/api/v1/admin/analytics/overview" + acmeOnly, operator)).path("activeUsers24h").asLong()).isEqualTo(1);
        assertThat(json(get("/api/v1/admin/analytics/users" + acmeOnly, operator)).path("activeUsers24h").asLong()).isEqualTo(1);
    }

    @Test
    void users_are_ranked_by_requests_with_their_questions() {
        JsonNode users = json(get("/api/v1/admin/analytics/users?" + DAYS, acmeAdmin));

        assertThat(users.path("users").asLong()).isEqualTo(2);
        JsonNode ann = users.path("mostActive").get(0);
        assertThat(ann.path("subject").asText()).isEqualTo("ann");
        assertThat(ann.path("requests").asLong()).isEqualTo(4);
        assertThat(ann.path("messages").asLong()).isEqualTo(2);
        assertThat(ann.path("lastSeen").asText()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(users.path("mostActive").get(1).path("subject").asText()).isEqualTo("bob");
        assertThat(json(get("/api/v1/admin/analytics/users?limit=1&" + DAYS, acmeAdmin)).path("mostActive")).hasSize(1);
    }

    @Test
    void conversations_count_the_created_and_the_active_and_rank_by_messages() {
        JsonNode march2 = json(get("/api/v1/admin/analytics/conversations?from=2026-03-02&to=2026-03-02", acmeAdmin));

        assertThat(march2.path("created").asLong()).isEqualTo(1);
        assertThat(march2.path("active").asLong()).isEqualTo(2);
        JsonNode top = json(get("/api/v1/admin/analytics/conversations?" + DAYS, acmeAdmin)).path("mostActive").get(0);
        assertThat(top.path("conversationId").asText()).isEqualTo(annsThread.toString());
        assertThat(top.path("owner").asText()).isEqualTo("ann");
        assertThat(top.path("messages").asLong()).isEqualTo(4);
        assertThat(top.path("inputTokens").asLong()).isEqualTo(2500);
    }

    @Test
    void messages_by_role_and_per_day_including_empty_days() {
        JsonNode messages = json(get("/api/v1/admin/analytics/messages?" + DAYS, acmeAdmin));

        assertThat(messages.path("total").asLong()).isEqualTo(6);
        assertThat(messages.path("byRole").path("user").asLong()).isEqualTo(3);
        assertThat(messages.path("byRole").path("assistant").asLong()).isEqualTo(3);
        assertThat(messages.path("byRole").path("tool").asLong()).isZero();
        assertThat(messages.path("perDay").findValuesAsText("day")).containsExactly("2026-03-01", "2026-03-02", "2026-03-03");
        assertThat(messages.path("perDay").findValuesAsText("messages")).containsExactly("2", "4", "0");
    }

    @Test
    void tokens_per_user_conversation_and_model_from_the_answers_metadata() {
        JsonNode tokens = json(get("/api/v1/admin/analytics/tokens?" + DAYS, acmeAdmin));

        assertThat(tokens.path("inputTokens").asLong()).isEqualTo(2500);
        assertThat(tokens.path("outputTokens").asLong()).isEqualTo(500);
        assertThat(tokens.path("costUsd").asDouble()).isEqualTo(1.25);
        JsonNode ann = tokens.path("perUser").get(0);
        assertThat(ann.path("subject").asText()).isEqualTo("ann");
        assertThat(ann.path("answers").asLong()).isEqualTo(2);
        assertThat(ann.path("inputTokens").asLong()).isEqualTo(2500);
        assertThat(tokens.path("perUser").get(1).path("subject").asText()).isEqualTo("bob");
        assertThat(tokens.path("perConversation").get(0).path("conversationId").asText()).isEqualTo(annsThread.toString());
        assertThat(tokens.path("perConversation").get(0).path("outputTokens").asLong()).isEqualTo(500);
        JsonNode model = tokens.path("perModel").get(0);
        assertThat(model.path("provider").asText()).isEqualTo("openai");
        assertThat(model.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(model.path("costUsd").asDouble()).isEqualTo(1.25);
    }

    @Test
    void api_usage_per_endpoint_with_error_rates_and_percentiles() {
        JsonNode usage = json(get("/api/v1/admin/analytics/api-usage?from=2026-03-01&to=2026-03-01", acmeAdmin));

        assertThat(usage.path("requests").asLong()).isEqualTo(4);
        JsonNode search = usage.path("endpoints").get(0);
        assertThat(search.path("method").asText()).isEqualTo("GET");
        assertThat(search.path("route").asText()).isEqualTo("/api/v1/search");
        assertThat(search.path("requests").asLong()).isEqualTo(3);
        assertThat(search.path("serverErrors").asLong()).isEqualTo(1);
        assertThat(search.path("errorRate").asDouble()).isCloseTo(1 / 3.0, offset(1e-9));
        assertThat(search.path("p50Ms").asDouble()).isEqualTo(20.0);
        assertThat(search.path("p95Ms").asDouble()).isCloseTo(29.0, offset(1e-9));
        JsonNode upload = usage.path("endpoints").get(1);
        assertThat(upload.path("route").asText()).isEqualTo("/api/v1/documents");
        assertThat(upload.path("clientErrorRate").asDouble()).isEqualTo(1.0);
        assertThat(upload.path("errorRate").asDouble()).isZero();
    }

    @Test
    void daily_stats_read_the_aggregates_which_a_rebuild_replaces() {
        daily.build(LocalDate.parse("2026-03-01"));
        daily.build(LocalDate.parse("2026-03-02"));
        daily.build(LocalDate.parse("2026-03-02"));

        JsonNode days = json(get("/api/v1/admin/analytics/daily-stats?" + DAYS, acmeAdmin)).path("days");

        assertThat(days).hasSize(2);
        assertThat(days.get(0).path("day").asText()).isEqualTo("2026-03-01");
        assertThat(days.get(0).path("tenant").asText()).isEqualTo(acme);
        assertThat(days.get(0).path("requests").asLong()).isEqualTo(4);
        assertThat(days.get(0).path("serverErrors").asLong()).isEqualTo(1);
        assertThat(days.get(0).path("activeUsers").asLong()).isEqualTo(2);
        assertThat(days.get(0).path("p50Ms").asDouble()).isEqualTo(25.0);
        assertThat(days.get(1).path("requests").asLong()).as("built twice, counted once").isEqualTo(1);
        assertThat(days.get(1).path("messages").asLong()).isEqualTo(4);
        assertThat(days.get(1).path("inputTokens").asLong()).isEqualTo(1500);
        assertThat(days.get(1).path("conversationsCreated").asLong()).isEqualTo(1);
    }

    @Test
    void a_tenant_admin_sees_its_tenant_and_an_operator_every_tenant_or_the_one_it_names() {
        assertProblem(get("/api/v1/admin/analytics/overview?tenant=" + globex + "&" + DAYS, acmeAdmin), 403, "forbidden");
        assertProblem(get("/api/v1/admin/analytics/overview?" + DAYS, TestTokens.forTenant(acme)), 403, "forbidden");
        JsonNode named = json(get("/api/v1/admin/analytics/overview?tenant=" + globex + "&" + DAYS, operator));
        assertThat(named.path("requests").asLong()).isEqualTo(1);
        assertThat(named.path("costUsd").asDouble()).isEqualTo(0.01);

        JsonNode all = json(get("/api/v1/admin/analytics/tokens?" + DAYS, operator));
        assertThat(all.path("tenant").isNull() || all.path("tenant").isMissingNode()).as("every tenant").isTrue();
        assertThat(all.path("inputTokens").asLong()).isEqualTo(2599);
        assertThat(all.path("perModel").findValuesAsText("provider")).containsExactly("openai", "anthropic");
        assertThat(json(get("/api/v1/admin/analytics/api-usage?" + DAYS, acmeAdmin)).path("requests").asLong())
                .as("acme's admin does not see globex's request").isEqualTo(5);
    }

    @Test
    void bad_ranges_and_limits_are_problems() {
        for (String endpoint : new String[]{"overview", "users", "conversations", "messages", "tokens", "api-usage", "daily-stats"}) {
            String path = "/api/v1/admin/analytics/" + endpoint;
            assertProblem(get(path + "?from=yesterday", acmeAdmin), 400, "invalid-parameter");
            assertProblem(get(path + "?from=2026-03-02&to=2026-03-01", acmeAdmin), 400, "invalid-parameter");
            assertProblem(get(path + "?from=2024-01-01&to=2026-01-01", acmeAdmin), 400, "invalid-parameter");
            assertThat(get(path, acmeAdmin).statusCode()).as(path + " with the default range").isEqualTo(200);
        }
        assertProblem(get("/api/v1/admin/analytics/users?limit=0", acmeAdmin), 400, "invalid-parameter");
        assertProblem(get("/api/v1/admin/analytics/tokens?limit=many", acmeAdmin), 400, "invalid-parameter");
        assertProblem(get("/api/v1/admin/analytics/api-usage?limit=101", acmeAdmin), 400, "invalid-parameter");
    }

    private static String tokens(String provider, String model, long input, long output, double cost) {
        return "{\"provider\": \"%s\", \"model\": \"%s\", \"inputTokens\": %d, \"outputTokens\": %d, \"costUsd\": %s}"
                .formatted(provider, model, input, output, cost);
    }

    private void request(String tenant, String subject, String at, String method, String route, int status, int micros) {
        jdbc.update("insert into api_requests (at, tenant_id, subject, method, route, status, duration_micros) "
                + "values (?::timestamptz, ?, ?, ?, ?, ?, ?)", at, tenant, subject, method, route, status, micros);
    }

    private UUID thread(String tenant, String owner, String at) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into conversations (id, tenant_id, owner, title, created_at) values (?, ?, ?, 't', ?::timestamptz)",
                id, tenant, owner, at);
        return id;
    }

    private void message(UUID thread, String tenant, String owner, String role, String metadata, String at) {
        jdbc.update("""
                insert into conversation_messages (id, conversation_id, tenant_id, owner, role, content, metadata, created_at)
                values (?, ?, ?, ?, ?, 'text', ?::jsonb, ?::timestamptz)""",
                UUID.randomUUID(), thread, tenant, owner, role, metadata, at);
    }
}
