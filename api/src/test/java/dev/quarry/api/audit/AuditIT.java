package dev.quarry.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Mutating calls land in the audit trail, which admins read scoped to their tenant and operators verify. */
class AuditIT extends ApiIntegrationTest {
    private final String tenant = "audit-" + UUID.randomUUID();
    private final String other = "audit-other-" + UUID.randomUUID();
    private final String user = TestTokens.mint(TestTokens.SECRET, "uploader-1", tenant, List.of(), Instant.now().plusSeconds(600));
    private final String admin = TestTokens.mint(TestTokens.SECRET, "admin-1", tenant, List.of("admin"), Instant.now().plusSeconds(600));
    private final String operator = TestTokens.forTenant("ops", "operator");

    private JsonNode entries(String query, String token) {
        HttpResponse<String> response = get("/api/v1/admin/audit" + query, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("entries");
    }

    @Test
    void an_upload_is_recorded_with_actor_tenant_role_action_outcome_and_trace() {
        HttpResponse<String> upload = uploadText(user, "a.txt", "hello audit");
        assertThat(upload.statusCode()).isEqualTo(202);

        JsonNode entry = entries("?tenant=" + tenant, operator).get(0);
        assertThat(entry.path("actor").asText()).isEqualTo("uploader-1");
        assertThat(entry.path("tenant").asText()).isEqualTo(tenant);
        assertThat(entry.path("role").asText()).isEqualTo("user");
        assertThat(entry.path("action").asText()).isEqualTo("POST /api/v1/documents");
        assertThat(entry.path("outcome").asText()).isEqualTo("succeeded 202");
        assertThat(entry.path("traceId").asText()).isEqualTo(upload.headers().firstValue("X-Trace-Id").orElseThrow());
        assertThat(entry.path("at").asText()).isNotBlank();
    }

    @Test
    void a_rejected_admin_action_is_recorded_with_its_target_and_reads_are_not() {
        UUID missing = UUID.randomUUID();
        assertProblem(send(request("/api/v1/admin/dead-letters/" + missing, admin).DELETE().build()), 404, "not-found");
        get("/api/v1/documents", user);

        JsonNode mine = entries("", admin);
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).path("action").asText()).isEqualTo("DELETE /api/v1/admin/dead-letters/{id}");
        assertThat(mine.get(0).path("target").asText()).isEqualTo("id=" + missing);
        assertThat(mine.get(0).path("outcome").asText()).isEqualTo("rejected 404");
        assertThat(mine.get(0).path("role").asText()).isEqualTo("admin");
    }

    @Test
    void a_tenant_admin_sees_only_its_own_tenant_and_an_operator_filters_and_pages() {
        uploadText(user, "a.txt", "one");
        uploadText(user, "b.txt", "two");
        uploadText(TestTokens.forTenant(other), "c.txt", "three");

        assertThat(entries("", admin)).hasSize(2);
        assertProblem(get("/api/v1/admin/audit?tenant=" + other, admin), 403, "forbidden");
        assertProblem(get("/api/v1/admin/audit", user), 403, "forbidden");
        assertThat(entries("?tenant=" + other, operator)).hasSize(1);
        assertThat(entries("?tenant=" + tenant + "&actor=someone-else", operator)).isEmpty();

        JsonNode first = json(get("/api/v1/admin/audit?tenant=" + tenant + "&limit=1", operator));
        assertThat(first.path("entries")).hasSize(1);
        JsonNode second = json(get("/api/v1/admin/audit?tenant=" + tenant + "&limit=1&cursor="
                + first.path("nextCursor").asText(), operator));
        assertThat(second.path("entries")).hasSize(1);
        assertThat(second.path("entries").get(0).path("seq").asLong())
                .isLessThan(first.path("entries").get(0).path("seq").asLong());
    }

    @Test
    void bad_filters_are_problems() {
        assertProblem(get("/api/v1/admin/audit?from=yesterday", operator), 400, "invalid-parameter");
        assertProblem(get("/api/v1/admin/audit?cursor=nonsense", operator), 400, "invalid-cursor");
        assertProblem(get("/api/v1/admin/audit?limit=0", operator), 400, "invalid-parameter");
    }

    @Test
    void the_operator_verifies_the_chain_and_an_admin_may_not() {
        uploadText(user, "a.txt", "chained");

        JsonNode verification = json(get("/api/v1/admin/audit/verify", operator));
        assertThat(verification.path("intact").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("checked").asLong()).isPositive();
        assertProblem(get("/api/v1/admin/audit/verify", admin), 403, "forbidden");
    }

    @Test
    void a_put_is_recorded_like_any_mutation() {
        HttpResponse<String> put = send(request("/api/v1/collections/docs/search-settings", admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"halfLife\":\"P30D\"}")).build());
        assertThat(put.statusCode()).as(put.body()).isLessThan(300);

        JsonNode entry = entries("", admin).get(0);
        assertThat(entry.path("action").asText()).isEqualTo("PUT /api/v1/collections/{collection}/search-settings");
        assertThat(entry.path("target").asText()).isEqualTo("collection=docs");
    }
}
