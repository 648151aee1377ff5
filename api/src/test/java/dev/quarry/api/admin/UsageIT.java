package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class UsageIT extends ApiIntegrationTest {
    /** Sees every tenant; the tenant admin's scope has tests of its own below. */
    private final String operator = TestTokens.forTenant("ops", "operator");
    private final String acmeAdmin = TestTokens.forTenant("acme", "admin");

    @BeforeEach
    void usage() {
        row("acme", "2026-03-01", 1_000_000, "0.02");
        row("acme", "2026-03-02", 500, "0.00001");
        row("globex", "2026-03-01", 2_000_000, "0.04");
        row("acme", "2026-04-15", 7, "0.00000014");
    }

    private void row(String tenant, String day, long tokens, String cost) {
        jdbc.update("""
                insert into embedding_usage (tenant_id, day, model, version, tokens, segments, calls, cost_usd)
                values (?, ?, 'text-embedding-3-small', 'text-embedding-3-small-384@1', ?, 10, 2, ?)""",
                tenant, Date.valueOf(LocalDate.parse(day)), tokens, new BigDecimal(cost));
    }

    @Test
    void one_tenants_usage_per_day_with_totals() {
        JsonNode report = json(get("/api/v1/admin/usage?tenant=acme&from=2026-03-01&to=2026-03-31", operator));

        assertThat(report.path("tenant").asText()).isEqualTo("acme");
        assertThat(report.path("days")).hasSize(2);
        JsonNode first = report.path("days").get(0);
        assertThat(first.path("day").asText()).isEqualTo("2026-03-01");
        assertThat(first.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(first.path("version").asText()).isEqualTo("text-embedding-3-small-384@1");
        assertThat(first.path("tokens").asLong()).isEqualTo(1_000_000);
        assertThat(first.path("calls").asLong()).isEqualTo(2);
        assertThat(first.path("costUsd").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(report.path("totals").path("tokens").asLong()).isEqualTo(1_000_500);
        assertThat(report.path("totals").path("segments").asLong()).isEqualTo(20);
        assertThat(report.path("totals").path("costUsd").decimalValue()).isEqualByComparingTo("0.02001");
    }

    @Test
    void without_a_tenant_days_sum_all_tenants() {
        JsonNode report = json(get("/api/v1/admin/usage?from=2026-03-01&to=2026-03-01", operator));

        assertThat(report.path("days")).hasSize(1);
        assertThat(report.path("days").get(0).path("tokens").asLong()).isEqualTo(3_000_000);
        assertThat(report.path("totals").path("costUsd").decimalValue()).isEqualByComparingTo("0.06");
    }

    @Test
    void only_admins_and_operators_see_usage_and_bad_ranges_are_problems() {
        assertProblem(get("/api/v1/admin/usage", TestTokens.forTenant("acme")), 403, "forbidden");
        assertProblem(get("/api/v1/admin/usage?from=yesterday", operator), 400, "invalid-parameter");
        assertProblem(get("/api/v1/admin/usage?from=2026-03-02&to=2026-03-01", operator), 400, "invalid-parameter");
        assertProblem(get("/api/v1/admin/usage?from=2024-01-01&to=2026-01-01", operator), 400, "invalid-parameter");
        assertThat(json(get("/api/v1/admin/usage", operator)).path("days")).isEmpty();
    }

    @Test
    void a_tenant_admin_sees_only_its_own_tenants_usage() {
        JsonNode report = json(get("/api/v1/admin/usage?from=2026-03-01&to=2026-03-01", acmeAdmin));

        assertThat(report.path("tenant").asText()).isEqualTo("acme");
        assertThat(report.path("totals").path("tokens").asLong()).isEqualTo(1_000_000);
        assertThat(json(get("/api/v1/admin/usage?tenant=acme&from=2026-03-01&to=2026-03-01", acmeAdmin))
                .path("totals").path("tokens").asLong()).isEqualTo(1_000_000);
        assertProblem(get("/api/v1/admin/usage?tenant=globex&from=2026-03-01&to=2026-03-01", acmeAdmin), 403, "forbidden");
    }

    @Test
    void an_operator_sees_one_tenant_or_all() {
        assertThat(json(get("/api/v1/admin/usage?tenant=globex&from=2026-03-01&to=2026-03-01", operator))
                .path("totals").path("tokens").asLong()).isEqualTo(2_000_000);
        JsonNode all = json(get("/api/v1/admin/usage?from=2026-03-01&to=2026-03-01", operator));
        assertThat(all.path("tenant").isNull()).isTrue();
        assertThat(all.path("totals").path("tokens").asLong()).isEqualTo(3_000_000);
    }
}
