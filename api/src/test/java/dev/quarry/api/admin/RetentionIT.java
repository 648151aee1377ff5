package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention policies per tenant and collection, and the dry run that counts without deleting. */
class RetentionIT extends ApiIntegrationTest {
    private final String tenant = "retention-" + UUID.randomUUID();
    private final String admin = TestTokens.forTenant(tenant, "admin");
    private final String operator = TestTokens.forTenant("ops", "operator");

    private HttpResponse<String> put(String query, String token, String body) {
        return send(request("/api/v1/admin/retention/policy" + query, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private void document(String collection, int daysOld) {
        jdbc.update("""
                insert into documents (id, tenant_id, title, collection, media_type, size_bytes, content_sha256, status, updated_at)
                values (?, ?, 't', ?, 'text/plain', 1, 'sha', 'INDEXED', now() - make_interval(days => ?))""",
                UUID.randomUUID(), tenant, collection, daysOld);
    }

    @Test
    void a_collection_policy_overrides_the_tenants_which_overrides_the_default_in_the_dry_run() {
        document("default", 200);
        document("default", 40);
        document("short", 10);
        document("short", 1);

        assertThat(json(get("/api/v1/admin/retention/dry-run", admin)).path("documents").asLong()).isEqualTo(1);
        assertThat(put("", admin, "{\"documents\":\"P30D\"}").statusCode()).isEqualTo(200);
        assertThat(json(get("/api/v1/admin/retention/dry-run", admin)).path("documents").asLong()).isEqualTo(2);
        assertThat(put("?collection=short", admin, "{\"documents\":\"P7D\"}").statusCode()).isEqualTo(200);

        JsonNode plan = json(get("/api/v1/admin/retention/dry-run?tenant=" + tenant, operator));
        assertThat(plan.path("documents").asLong()).isEqualTo(3);
        assertThat(plan.has("jobs") && plan.has("deadLetters") && plan.has("auditEntries")).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from documents where tenant_id = ?", Integer.class, tenant)).isEqualTo(4);
        assertThat(json(get("/api/v1/admin/retention/policy?collection=short", admin)).path("documents").asText()).isEqualTo("P7D");
        assertThat(json(get("/api/v1/admin/retention/policy", admin)).path("documents").asText()).isEqualTo("P30D");
    }

    @Test
    void bad_policies_are_problems_that_change_nothing() {
        assertProblem(put("", admin, "{\"documents\":\"thirty days\"}"), 400, "invalid-parameter");
        assertProblem(put("", admin, "{\"documents\":\"-P1D\"}"), 400, "invalid-parameter");
        assertProblem(put("?collection=short", admin, "{\"jobs\":\"P1D\"}"), 400, "invalid-parameter");
        assertProblem(put("", operator, "{\"documents\":\"P1D\"}"), 400, "invalid-parameter");
        assertProblem(put("?tenant=globex", admin, "{\"documents\":\"P1D\"}"), 403, "forbidden");
        assertProblem(get("/api/v1/admin/retention/dry-run", TestTokens.forTenant(tenant)), 403, "forbidden");
        assertThat(jdbc.queryForObject("select count(*) from retention_policies where tenant_id = ?", Integer.class, tenant)).isZero();
    }
}
