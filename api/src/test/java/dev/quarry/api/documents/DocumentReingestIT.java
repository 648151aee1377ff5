package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestTokens;
import dev.quarry.embedding.EmbeddingVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static dev.quarry.testing.SampleFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /documents/{id}/reingest and PUT /documents/{id}/content: queued like an upload, one ingest at a time. */
class DocumentReingestIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired EmbeddingVersion version;
    private UUID documentId;

    @BeforeEach
    void uploadedAndIngested() {
        JsonNode accepted = json(uploadText(token, "note.txt", "The first version of the note."));
        documentId = UUID.fromString(accepted.path("documentId").asText());
        finishJobs();
    }

    @Test
    void reingest_queues_a_new_job_of_the_same_document_and_replays_for_the_same_key() {
        HttpResponse<String> response = reingest(token, documentId, "again-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = json(response);
        UUID jobId = UUID.fromString(body.path("jobId").asText());
        assertThat(body.path("documentId").asText()).isEqualTo(documentId.toString());
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);
        assertThat(jdbc.queryForMap("select status, type, document_id from jobs where id = ?", jobId))
                .containsEntry("status", "QUEUED").containsEntry("type", "INGEST").containsEntry("document_id", documentId);

        HttpResponse<String> replay = reingest(token, documentId, "again-1");
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(replay).path("jobId").asText()).isEqualTo(jobId.toString());
        assertThat(jobCount()).isEqualTo(2);
    }

    @Test
    void reingest_of_a_content_stored_for_the_current_version_completes_at_once_without_jobrunr() {
        jdbc.update("update documents set status = 'INDEXED' where id = ?", documentId);
        jdbc.update("""
                insert into pipeline_steps (document_id, content_sha256, step, embedding_version)
                select id, content_sha256, 'store', ? from documents where id = ?""", version.tag(), documentId);

        HttpResponse<String> response = reingest(token, documentId, "again-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        UUID jobId = UUID.fromString(json(response).path("jobId").asText());
        assertThat(json(response).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(jdbc.queryForList("select type from job_events where job_id = ? order by id", String.class, jobId))
                .containsExactly("queued", "started", "succeeded");
        assertThat(jdbc.queryForObject("select count(*) from jobrunr_jobs where id = ?", Integer.class, jobId.toString()))
                .isZero();

        jdbc.update("update pipeline_steps set embedding_version = 'another-model@1' where document_id = ?", documentId);
        HttpResponse<String> otherVersion = reingest(token, documentId, "again-2");
        assertThat(json(otherVersion).path("status").asText()).as("a new version must be embedded").isEqualTo("QUEUED");
    }

    @Test
    void a_second_ingest_while_one_is_pending_is_refused_and_stores_nothing() {
        assertThat(reingest(token, documentId, "again-1").statusCode()).isEqualTo(202);

        assertProblem(reingest(token, documentId, "again-2"), 409, "ingest-in-progress");
        assertProblem(replaceContent(token, documentId, "again-3", utf8("newer")), 409, "ingest-in-progress");
        assertThat(jobCount()).isEqualTo(2);
        assertThat(jdbc.queryForObject("select size_bytes from documents where id = ?", Long.class, documentId))
                .isEqualTo(utf8("The first version of the note.").length);
    }

    @Test
    void another_tenants_document_is_not_found_and_a_key_is_required() {
        String intruder = TestTokens.forTenant("globex");

        assertProblem(reingest(intruder, documentId, "k"), 404, "not-found");
        assertProblem(replaceContent(intruder, documentId, "k2", utf8("mine now")), 404, "not-found");
        assertProblem(reingest(token, documentId, null), 400, "missing-idempotency-key");
        assertProblem(reingest(token, UUID.randomUUID(), "k3"), 404, "not-found");
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void new_content_replaces_the_stored_bytes_and_queues_its_ingest() {
        byte[] content = utf8("The second version of the note, with more to say.");

        HttpResponse<String> response = replaceContent(token, documentId, "put-1", content);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(jdbc.queryForObject("select bytes from document_contents where document_id = ?", byte[].class,
                documentId)).isEqualTo(content);
        assertThat(jdbc.queryForMap("select status, size_bytes, content_sha256 from documents where id = ?", documentId))
                .containsEntry("status", "PENDING").containsEntry("size_bytes", (long) content.length)
                .containsEntry("content_sha256", DocumentIntake.sha256(content));
        assertThat(jobCount()).isEqualTo(2);
    }

    @Test
    void new_content_is_validated_like_an_upload() {
        assertProblem(replaceContent(token, documentId, "put-empty", new byte[0]), 400, "empty-file");
        assertProblem(send(request("/api/v1/documents/" + documentId + "/content", token)
                .header("Idempotency-Key", "put-none").header("Content-Type", new MultipartBody().contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new MultipartBody().json("metadata", "{}").bytes()))
                .build()), 400, "missing-file");
        assertThat(jobCount()).isEqualTo(1);
    }

    private HttpResponse<String> reingest(String token, UUID id, String key) {
        HttpRequest.Builder builder = request("/api/v1/documents/" + id + "/reingest", token)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private HttpResponse<String> replaceContent(String token, UUID id, String key, byte[] content) {
        MultipartBody body = new MultipartBody().file("file", "note.txt", "text/plain", content);
        return send(request("/api/v1/documents/" + id + "/content", token)
                .header("Idempotency-Key", key).header("Content-Type", body.contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build());
    }

    /** No worker runs in the API's tests: finish the jobs as one would. */
    private void finishJobs() {
        jdbc.update("update jobs set status = 'SUCCEEDED' where status = 'QUEUED'");
    }

    private int jobCount() {
        return jdbc.queryForObject("select count(*) from jobs where document_id = ?", Integer.class, documentId);
    }
}
