package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /documents/delete and the DELETE of a large document become DELETE_DOCUMENTS jobs (run by the worker,
 * {@code DeleteDocumentsIT} there); bad filters and another tenant's ids are problems that queue nothing.
 */
class BulkDeletionIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");

    private UUID document(String collection, int chunkCount) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into documents (id, tenant_id, title, collection, media_type, size_bytes, content_sha256, status, chunk_count)
                values (?, 'acme', 't', ?, 'text/plain', 1, 'sha', 'INDEXED', ?)""", id, collection, chunkCount);
        return id;
    }

    private HttpResponse<String> bulk(String key, String body, String bearer) {
        HttpRequest.Builder builder = request("/api/v1/documents/delete", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private int deletionJobs() {
        return jdbc.queryForObject("select count(*) from jobs where type = 'DELETE_DOCUMENTS'", Integer.class);
    }

    @Test
    void a_collection_becomes_one_deletion_job_of_its_documents() {
        UUID a = document("old", 1), b = document("old", 1);
        document("keep", 1);

        HttpResponse<String> response = bulk("bulk-1", "{\"collection\":\"old\"}", token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode accepted = json(response);
        assertThat(accepted.path("documents").asInt()).isEqualTo(2);
        UUID jobId = UUID.fromString(accepted.path("jobId").asText());
        assertThat(jdbc.queryForList("select unnest(document_ids) from document_deletions where job_id = ?", UUID.class, jobId))
                .containsExactlyInAnyOrder(a, b);
        assertThat(bulk("bulk-1", "{\"collection\":\"old\"}", token).headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(deletionJobs()).isEqualTo(1);
    }

    @Test
    void a_large_document_is_deleted_by_a_job_and_the_request_returns_at_once() {
        UUID large = document("default", 5000);

        HttpResponse<String> response = send(request("/api/v1/documents/" + large, token)
                .header("Idempotency-Key", "del-large").DELETE().build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/api/v1/jobs/"));
        assertThat(deletionJobs()).isEqualTo(1);
    }

    @Test
    void bad_filters_and_another_tenants_ids_are_problems_that_queue_nothing() {
        UUID mine = document("default", 1);
        UUID theirs = UUID.randomUUID();
        jdbc.update("""
                insert into documents (id, tenant_id, title, media_type, size_bytes, content_sha256)
                values (?, 'globex', 't', 'text/plain', 1, 'sha')""", theirs);

        assertProblem(bulk("k1", "{\"documentIds\":[\"" + mine + "\",\"" + theirs + "\"]}", token), 404, "not-found");
        assertProblem(bulk("k2", "{}", token), 400, "invalid-parameter");
        assertProblem(bulk("k3", "{\"collection\":\"\"}", token), 400, "invalid-parameter");
        assertProblem(bulk(null, "{\"collection\":\"default\"}", token), 400, "missing-idempotency-key");
        assertThat(json(bulk("k4", "{\"collection\":\"nothing-here\"}", token)).path("documents").asInt()).isZero();
        assertThat(deletionJobs()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from documents where id in (?, ?)", Integer.class, mine, theirs)).isEqualTo(2);
    }
}
