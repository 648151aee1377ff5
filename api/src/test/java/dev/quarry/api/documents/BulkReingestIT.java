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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST /documents/reingest: one request re-syncs a collection; unchanged documents need no job. */
class BulkReingestIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired EmbeddingVersion version;
    private UUID unchanged, stale, busy, elsewhere;

    @BeforeEach
    void aCollectionInEveryState() {
        unchanged = upload(token, "manuals", "Indexed as it is, for the current model.");
        stale = upload(token, "manuals", "Stored, but never indexed for the current model.");
        elsewhere = upload(token, "notes", "In another collection.");
        jdbc.update("update jobs set status = 'SUCCEEDED'");
        markIndexed(unchanged);
        busy = upload(token, "manuals", "Still waiting for its first ingest.");
    }

    @Test
    void a_collection_queues_its_stale_documents_counts_unchanged_ones_and_skips_busy_ones() {
        HttpResponse<String> response = reingest(token, "bulk-1", "{\"collection\": \"manuals\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode summary = json(response);
        assertThat(summary.path("matched").asInt()).isEqualTo(3);
        assertThat(summary.path("queued").asInt()).isEqualTo(1);
        assertThat(summary.path("unchanged").asInt()).isEqualTo(1);
        assertThat(summary.path("inProgress").asInt()).isEqualTo(1);
        assertThat(summary.path("deferred").asInt()).isZero();
        assertThat(summary.path("jobsTruncated").asBoolean()).isFalse();
        assertThat(summary.path("jobs")).hasSize(1);
        UUID jobId = UUID.fromString(summary.path("jobs").get(0).asText());
        assertThat(jdbc.queryForMap("select document_id, status, idempotency_key from jobs where id = ?", jobId))
                .containsEntry("document_id", stale).containsEntry("status", "QUEUED")
                .containsEntry("idempotency_key", "bulk-1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inJobRunr(jobId)).isOne());

        assertThat(jobsOf(unchanged)).as("an unchanged document needs no job").isEqualTo(1);
        assertThat(jobsOf(busy)).as("a busy document is skipped").isEqualTo(1);
        assertThat(jobsOf(elsewhere)).as("another collection is not matched").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from jobs where idempotency_key = 'bulk-1'", Integer.class))
                .as("one job, the stale document's").isOne();
    }

    @Test
    void a_replay_answers_the_first_summary_and_queues_nothing_more() {
        HttpResponse<String> first = reingest(token, "bulk-1", "{\"collection\": \"manuals\"}");
        Map<String, Integer> after = rowCounts();

        HttpResponse<String> replay = reingest(token, "bulk-1", "{ \"collection\" : \"manuals\" }");

        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(rowCounts()).isEqualTo(after);
        assertProblem(reingest(token, "bulk-1", "{\"collection\": \"notes\"}"), 422, "idempotency-key-reused");
    }

    @Test
    void document_ids_and_a_collection_must_both_match() {
        String body = "{\"collection\": \"manuals\", \"documentIds\": [\"%s\", \"%s\", \"%s\"]}"
                .formatted(stale, elsewhere, UUID.randomUUID());

        JsonNode summary = json(reingest(token, "bulk-ids", body));

        assertThat(summary.path("matched").asInt()).isEqualTo(1);
        assertThat(summary.path("queued").asInt()).isEqualTo(1);
        assertThat(jobsOf(stale)).isEqualTo(2);
        assertThat(jobsOf(elsewhere)).isEqualTo(1);
    }

    @Test
    void another_tenants_documents_are_never_matched() {
        String intruder = TestTokens.forTenant("globex");
        Map<String, Integer> before = rowCounts();

        JsonNode byCollection = json(reingest(intruder, "bulk-g1", "{\"collection\": \"manuals\"}"));
        JsonNode byIds = json(reingest(intruder, "bulk-g2",
                "{\"documentIds\": [\"%s\", \"%s\"]}".formatted(stale, unchanged)));

        assertThat(byCollection.path("matched").asInt()).isZero();
        assertThat(byIds.path("matched").asInt()).isZero();
        assertThat(byIds.path("queued").asInt()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from jobs", Integer.class)).isEqualTo(before.get("jobs"));
    }

    @Test
    void a_filter_without_criteria_is_a_problem_that_stores_nothing() {
        Map<String, Integer> before = rowCounts();

        assertProblem(reingest(token, "bulk-e1", "{}"), 400, "invalid-parameter");
        assertProblem(reingest(token, "bulk-e2", ""), 400, "invalid-parameter");
        assertProblem(reingest(token, "bulk-e3", "{\"collection\": \"\"}"), 400, "invalid-parameter");
        assertProblem(reingest(token, "bulk-e4", "{\"documentIds\": []}"), 400, "invalid-parameter");
        assertProblem(reingest(token, "bulk-e5", "{\"documentIds\": [\"not-a-uuid\"]}"), 400, "invalid-parameter");
        assertProblem(reingest(token, "bulk-e6", "{\"colection\": \"manuals\"}"), 400, "invalid-parameter");
        assertProblem(reingest(token, "bulk-e7", "[1, 2"), 400, "invalid-parameter");
        assertProblem(reingest(token, null, "{\"collection\": \"manuals\"}"), 400, "missing-idempotency-key");
        assertThat(rowCounts()).isEqualTo(before);
    }

    private HttpResponse<String> reingest(String token, String key, String body) {
        HttpRequest.Builder builder = request("/api/v1/documents/reingest", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private UUID upload(String token, String collection, String text) {
        HttpResponse<String> response = upload(token, UUID.randomUUID().toString(), new MultipartBody()
                .file("file", "doc.txt", "text/plain", text.getBytes(StandardCharsets.UTF_8))
                .json("metadata", "{\"collection\": \"" + collection + "\"}"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(json(response).path("documentId").asText());
    }

    /** What the worker's store step leaves behind (no worker runs in the API's tests). */
    private void markIndexed(UUID documentId) {
        jdbc.update("update documents set status = 'INDEXED' where id = ?", documentId);
        jdbc.update("""
                insert into pipeline_steps (document_id, content_sha256, step, embedding_version)
                select id, content_sha256, 'store', ? from documents where id = ?""", version.tag(), documentId);
    }

    private int jobsOf(UUID documentId) {
        return jdbc.queryForObject("select count(*) from jobs where document_id = ?", Integer.class, documentId);
    }

    private int inJobRunr(UUID jobId) {
        return jdbc.queryForObject("select count(*) from jobrunr_jobs where id = ?", Integer.class, jobId.toString());
    }
}
