package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DELETE /documents/{id}: the document and everything derived from it go, a shared cache entry stays, its
 * waiting ingest is cancelled, and the receipt replays for the same key. Chunks, texts, checkpoints and cache
 * entries are seeded as an ingest leaves them, so no worker has to run.
 */
class DocumentDeletionIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    private UUID doomed;
    private UUID kept;
    private UUID doomedJob;

    @BeforeEach
    void twoIngestedDocumentsSharingAParagraph() {
        JsonNode accepted = json(uploadText(token, "doomed.txt", "Shared paragraph. Only in the doomed one."));
        doomed = UUID.fromString(accepted.path("documentId").asText());
        doomedJob = UUID.fromString(accepted.path("jobId").asText());
        kept = UUID.fromString(json(uploadText(token, "kept.txt", "Shared paragraph. Only in the kept one.")).path("documentId").asText());
        seedIngested(doomed, "Shared paragraph.", "Only in the doomed one.");
        seedIngested(kept, "Shared paragraph.", "Only in the kept one.");
        jdbc.update("update jobs set status = 'SUCCEEDED', finished_at = now() where document_id = ?", kept);
    }

    private void seedIngested(UUID document, String... texts) {
        jdbc.update("insert into document_texts (document_id, content_sha256, text) select id, content_sha256, ? from documents where id = ?",
                String.join(" ", texts), document);
        jdbc.update("""
                insert into pipeline_steps (document_id, content_sha256, step, embedding_version)
                select id, content_sha256, 'store', 'v-test' from documents where id = ?""", document);
        for (int i = 0; i < texts.length; i++) {
            jdbc.update("""
                    insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                    values ('acme', ?, ?, ?, 3, array_fill(0.1, array[384])::vector, 'v-test')""", document, i, texts[i]);
            jdbc.update("""
                    insert into embedding_cache (tenant_id, embedding_version, text_sha256, embedding)
                    values ('acme', 'v-test', encode(sha256(convert_to(?, 'UTF8')), 'hex'), array_fill(0.1, array[384])::vector)
                    on conflict do nothing""", texts[i]);
        }
    }

    private HttpResponse<String> delete(UUID id, String key, String bearer) {
        var builder = request("/api/v1/documents/" + id, bearer).DELETE();
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    @Test
    void deletes_the_document_and_everything_derived_and_keeps_what_another_document_uses() {
        HttpResponse<String> response = delete(doomed, "delete-1", token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode receipt = json(response);
        assertThat(receipt.path("documentId").asText()).isEqualTo(doomed.toString());
        assertThat(receipt.path("chunks").asInt()).isEqualTo(2);
        assertThat(receipt.path("cacheEntries").asInt()).isEqualTo(1);
        assertThat(receipt.path("jobsCancelled").asInt()).isEqualTo(1);
        assertThat(receipt.path("deletedAt").asText()).isNotBlank();
        for (String table : new String[]{"documents where id", "document_contents where document_id",
                "document_texts where document_id", "pipeline_steps where document_id", "chunks where document_id"}) {
            assertThat(count("select count(*) from " + table + " = ?", doomed)).as(table).isZero();
        }
        assertThat(count("select count(*) from embedding_cache where tenant_id = 'acme'")).isEqualTo(2);
        assertThat(count("""
                select count(*) from embedding_cache
                where text_sha256 = encode(sha256(convert_to('Only in the doomed one.', 'UTF8')), 'hex')""")).isZero();
        assertThat(count("select count(*) from chunks where document_id = ?", kept)).isEqualTo(2);
        assertThat(jdbc.queryForMap("select status, document_id from jobs where id = ?", doomedJob))
                .containsEntry("status", "CANCELLED").containsEntry("document_id", null);
        assertThat(count("select count(*) from job_events where job_id = ? and type = 'cancelled'", doomedJob)).isEqualTo(1);
    }

    @Test
    void a_retry_with_the_same_key_replays_the_receipt_and_a_new_key_finds_nothing() {
        String first = delete(doomed, "delete-1", token).body();

        HttpResponse<String> replay = delete(doomed, "delete-1", token);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body()).isEqualTo(first);
        assertProblem(delete(doomed, "delete-2", token), 404, "not-found");
    }

    @Test
    void another_tenants_document_and_a_missing_key_are_problems_that_delete_nothing() {
        assertProblem(delete(doomed, "delete-1", TestTokens.forTenant("globex")), 404, "not-found");
        assertProblem(delete(doomed, null, token), 400, "missing-idempotency-key");
        assertProblem(send(request("/api/v1/documents/not-a-uuid", token).header("Idempotency-Key", "k").DELETE().build()),
                400, "invalid-parameter");

        assertThat(count("select count(*) from documents where id = ?", doomed)).isEqualTo(1);
        assertThat(count("select count(*) from chunks where document_id = ?", doomed)).isEqualTo(2);
        assertThat(count("select count(*) from embedding_cache where tenant_id = 'acme'")).isEqualTo(3);
    }

    @Test
    void the_deletion_is_audited() {
        delete(doomed, "delete-1", token);

        assertThat(jdbc.queryForMap("""
                select a.subject as actor, e.action, e.target, e.outcome
                from audit_entries e join audit_actors a on a.id = e.actor_id
                where e.tenant_id = 'acme' order by e.seq desc limit 1"""))
                .containsEntry("actor", "user-acme").containsEntry("action", "DELETE /api/v1/documents/{id}")
                .containsEntry("target", "id=" + doomed).containsEntry("outcome", "succeeded 200");
    }
}
