package dev.quarry.api.admin;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Illegal reindex and version requests are RFC 9457 problems with stable types, and store nothing. */
class ReindexRejectionIT extends ApiIntegrationTest {
    private final String admin = TestTokens.forTenant("versions", "admin");

    @Test
    void illegal_reindex_requests_are_problems_and_leave_nothing_behind() {
        Map<String, Integer> before = rowCounts();

        assertProblem(reindex(admin, null, "{\"targetVersion\":\"all-minilm-l6-v2@1\"}"), 400, "missing-idempotency-key");
        assertProblem(reindex(admin, key(), "{}"), 400, "invalid-parameter");
        assertProblem(reindex(admin, key(), "not json"), 400, "invalid-parameter");
        assertProblem(reindex(admin, key(), "{\"targetVersion\":\"nonsense@1\"}"), 422, "unknown-embedding-version");
        assertProblem(reindex(admin, key(), "{\"targetVersion\":\"x'; drop table chunks; --@1\"}"), 422,
                "unknown-embedding-version");
        // No OpenAI key in this context: OpenAI versions cannot be embedded with.
        assertProblem(reindex(admin, key(), "{\"targetVersion\":\"text-embedding-3-small-1536@1\"}"), 422,
                "unknown-embedding-version");
        assertProblem(reindex(admin, key(), "{\"targetVersion\":\"all-minilm-l6-v2-q@1\"}"), 409,
                "embedding-version-already-active");
        assertProblem(reindex(TestTokens.forTenant("versions"), key(), "{\"targetVersion\":\"all-minilm-l6-v2@1\"}"),
                403, "forbidden");

        assertThat(rowCounts()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from reindexes", Integer.class)).isZero();
    }

    @Test
    void versions_that_do_not_cover_every_document_cannot_be_activated_and_the_active_one_cannot_be_deleted() {
        jdbc.update("""
                insert into documents (id, tenant_id, title, media_type, size_bytes, content_sha256, status)
                values (?, 'versions', 'one', 'text/plain', 1, 'x', 'INDEXED')""", UUID.randomUUID());
        jdbc.update("""
                insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                select 'versions', id, 0, 'text', 1, array_fill(0.1, array[384])::vector, 'all-minilm-l6-v2-q@1'
                from documents where tenant_id = 'versions'""");
        jdbc.queryForObject("select quarry_register_embedding_version('all-minilm-l6-v2@1', 384)::text", String.class);

        assertProblem(post("/api/v1/admin/embedding-versions/all-minilm-l6-v2@1/activate"), 409,
                "embedding-version-not-covered");
        assertProblem(post("/api/v1/admin/embedding-versions/never-heard-of@1/activate"), 404, "not-found");
        assertProblem(send(request("/api/v1/admin/embedding-versions/all-minilm-l6-v2-q@1", admin).DELETE().build()),
                409, "embedding-version-in-use");
        assertProblem(send(request("/api/v1/admin/embedding-versions/never-heard-of@1", admin).DELETE().build()),
                404, "not-found");
        assertThat(jdbc.queryForObject("select count(*) from chunks where tenant_id = 'versions'", Integer.class))
                .isEqualTo(1);
        assertThat(json(get("/api/v1/admin/embedding-versions", admin)).path("activeVersion").asText())
                .isEqualTo("all-minilm-l6-v2-q@1");
    }

    @Test
    void a_cancelled_reindex_frees_the_tenant_for_the_next_one() {
        String full = "{\"targetVersion\":\"all-minilm-l6-v2@1\"}";
        HttpResponse<String> first = reindex(admin, key(), full);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String jobId = json(first).path("jobId").asText();
        assertProblem(reindex(admin, key(), full), 409, "reindex-in-progress");

        // No worker runs in this context: the job is still queued, so cancelling ends it at once.
        HttpResponse<String> cancel = send(request("/api/v1/jobs/" + jobId + "/cancel", admin)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(cancel.statusCode()).as(cancel.body()).isBetween(200, 202);
        assertThat(json(get("/api/v1/jobs/" + jobId, admin)).path("status").asText()).isEqualTo("CANCELLED");

        assertThat(reindex(admin, key(), full).statusCode()).isEqualTo(202);
        assertThat(json(get("/api/v1/admin/embedding-versions", admin)).path("activeVersion").asText())
                .isEqualTo("all-minilm-l6-v2-q@1");
    }

    private HttpResponse<String> reindex(String token, String key, String body) {
        HttpRequest.Builder builder = request("/api/v1/admin/reindex", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private HttpResponse<String> post(String path) {
        return send(request(path, admin).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
