package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /admin/erasures accepts an ERASURE job and GET shows its receipt; the job itself runs in the worker
 * ({@code ErasureIT} there). Bad requests change nothing, and the subject never reaches the audit trail.
 */
class ErasureRequestIT extends ApiIntegrationTest {
    private final String tenant = "erasure-" + UUID.randomUUID();
    private final String admin = TestTokens.forTenant(tenant, "admin");
    private final String operator = TestTokens.forTenant("ops", "operator");
    private final String subject = "person-" + UUID.randomUUID();

    private HttpResponse<String> erase(String token, String key, String body) {
        HttpRequest.Builder builder = request("/api/v1/admin/erasures", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private int erasures() {
        return jdbc.queryForObject("select count(*) from erasures where tenant_id = ?", Integer.class, tenant);
    }

    @Test
    void an_erasure_is_accepted_as_a_job_with_a_receipt_to_follow() {
        HttpResponse<String> response = erase(admin, "erase-1", "{\"subject\":\"" + subject + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        UUID jobId = UUID.fromString(json(response).path("jobId").asText());
        assertThat(jdbc.queryForMap("select type, status from jobs where id = ?", jobId))
                .containsEntry("type", "ERASURE").containsEntry("status", "QUEUED");
        JsonNode receipt = json(get("/api/v1/admin/erasures/" + jobId, admin));
        assertThat(receipt.path("status").asText()).isEqualTo("QUEUED");
        assertThat(receipt.path("erasure").path("documents").asInt()).isZero();
        assertThat(receipt.path("erasure").path("subjectSha256").asText()).hasSize(64);
        assertThat(receipt.toString()).doesNotContain(subject);
        assertThat(json(get("/api/v1/admin/erasures/" + jobId + "?tenant=" + tenant, operator)).path("status").asText())
                .isEqualTo("QUEUED");

        HttpResponse<String> replay = erase(admin, "erase-1", "{\"subject\":\"" + subject + "\"}");
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(erasures()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_entries e join audit_actors a on a.id = e.actor_id "
                + "where e.tenant_id = ? and (e.target like ? or e.outcome like ?)", Integer.class, tenant,
                "%" + subject + "%", "%" + subject + "%")).isZero();
    }

    @Test
    void bad_erasure_requests_are_problems_that_record_nothing() {
        assertProblem(erase(admin, "k1", "{}"), 400, "invalid-parameter");
        assertProblem(erase(admin, null, "{\"subject\":\"" + subject + "\"}"), 400, "missing-idempotency-key");
        assertProblem(erase(admin, "k2", "{\"subject\":\"" + subject + "\",\"tenant\":\"globex\"}"), 403, "forbidden");
        assertProblem(erase(operator, "k3", "{\"subject\":\"" + subject + "\"}"), 400, "invalid-parameter");
        assertProblem(erase(TestTokens.forTenant(tenant), "k4", "{\"subject\":\"" + subject + "\"}"), 403, "forbidden");
        assertThat(erasures()).isZero();
    }

    @Test
    void another_tenants_receipt_is_not_found() {
        UUID jobId = UUID.fromString(json(erase(admin, "erase-1", "{\"subject\":\"" + subject + "\"}")).path("jobId").asText());

        assertProblem(get("/api/v1/admin/erasures/" + jobId, TestTokens.forTenant("globex", "admin")), 404, "not-found");
    }
}
