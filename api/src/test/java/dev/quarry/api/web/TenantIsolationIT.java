package dev.quarry.api.web;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** One tenant never sees another's data: a foreign id is answered exactly like a missing one. */
class TenantIsolationIT extends ApiIntegrationTest {
    private final String acme = TestTokens.forTenant("acme");
    private final String globex = TestTokens.forTenant("globex");

    @Test
    void another_tenants_document_and_job_are_not_found() {
        HttpResponse<String> accepted = uploadText(acme, "secret.txt", "acme's quarterly secrets");
        String documentId = json(accepted).path("documentId").asText();
        String jobId = json(accepted).path("jobId").asText();
        assertThat(get("/api/v1/documents/" + documentId, acme).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/jobs/" + jobId, acme).statusCode()).isEqualTo(200);

        assertProblem(get("/api/v1/documents/" + documentId, globex), 404, "not-found");
        assertProblem(get("/api/v1/jobs/" + jobId, globex), 404, "not-found");
        assertProblem(send(request("/api/v1/jobs/" + jobId + "/events", globex)
                .header("Accept", "text/event-stream").GET().build()), 404, "not-found");
        assertThat(json(get("/api/v1/documents", globex)).path("items")).isEmpty();
    }

    @Test
    void a_missing_id_and_a_malformed_id_get_problems_too() {
        assertProblem(get("/api/v1/documents/6a1f5c1e-0000-4000-8000-000000000000", acme), 404, "not-found");
        assertProblem(get("/api/v1/jobs/not-a-uuid", acme), 400, "invalid-parameter");
    }
}
