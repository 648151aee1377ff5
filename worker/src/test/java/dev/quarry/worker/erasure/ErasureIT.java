package dev.quarry.worker.erasure;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.analytics.PgApiRequests;
import dev.quarry.analytics.TrackedRequest;
import dev.quarry.audit.AuditRecord;
import dev.quarry.audit.AuditTrail;
import dev.quarry.erasure.Erasure;
import dev.quarry.erasure.Erasures;
import dev.quarry.exports.ExportFormat;
import dev.quarry.exports.ExportRequest;
import dev.quarry.exports.ExportScope;
import dev.quarry.exports.Exports;
import dev.quarry.jobs.Job;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The straggler sweep: a subject's data is seeded into every table that can hold it, the ERASURE job runs on
 * the real JobRunr server, and then every table of the schema is searched, row by row as text, for the
 * subject, their document's id and a word only their document contained.
 */
class ErasureIT extends WorkerContext {
    private static final String VERSION = "v-erasure-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    @Autowired JdbcTemplate jdbc;
    @Autowired Erasures erasures;
    @Autowired AuditTrail audit;
    @Autowired Exports exports;
    @Autowired PgApiRequests apiRequests;

    private final String tenant = "gdpr-" + UUID.randomUUID();
    private final String subject = "subject-" + UUID.randomUUID();
    private final String uniqueWord = "zyxwvutsrq" + Long.toString(System.nanoTime(), 36).replaceAll("\\d", "x");
    private final UUID theirs = UUID.randomUUID();
    private final UUID someoneElses = UUID.randomUUID();
    private UUID exportOfTheirs, exportTheyRequested, batchTheySubmitted;

    @BeforeEach
    void seedTheSubjectEverywhere() {
        document(theirs, subject, "Notes by the subject about " + uniqueWord + " and more.");
        document(someoneElses, "someone-else", "Another person's notes about shared topics.");
        UUID succeeded = job(theirs, "SUCCEEDED");
        jdbc.update("insert into job_events (job_id, tenant_id, type, data) values (?, ?, 'succeeded', ?::jsonb)",
                succeeded, tenant, "{\"documentId\":\"" + theirs + "\"}");
        UUID deadLettered = job(theirs, "DEAD_LETTERED");
        jdbc.update("""
                insert into dead_letter_jobs (id, job_id, tenant_id, job_type, payload, error_class, classification, attempts,
                                              first_failed_at, last_failed_at)
                values (?, ?, ?, 'INGEST', ?::jsonb, 'X', 'PERMANENT', 1, now(), now())""",
                UUID.randomUUID(), deadLettered, tenant, "{\"documentId\":\"" + theirs + "\"}");
        jdbc.update("""
                insert into idempotency_keys (tenant_id, key, fingerprint, state, response_status, response_body, expires_at)
                values (?, ?, 'f', 'COMPLETED', 202, ?, now() + interval '1 day')""",
                tenant, "upload-" + UUID.randomUUID(), "{\"documentId\":\"" + theirs + "\"}");
        audit.record(new AuditRecord(subject, tenant, "user", "POST /api/v1/documents", null, "succeeded 202", null));
        exportOfTheirs = exported(ExportScope.uploadedBy(subject), "admin-of-" + tenant);
        exportTheyRequested = exported(ExportScope.collection("default"), subject);
        batchTheySubmitted = embeddingBatch(subject, "Texts the subject embedded about " + uniqueWord + ".");
        conversation(subject, "What did I write about " + uniqueWord + "?");
        conversation("someone-else", "A question about shared topics.");
        apiRequests.append(List.of(new TrackedRequest(Instant.now(), tenant, subject, "GET", "/api/v1/documents/{id}", 200, 900),
                new TrackedRequest(Instant.now(), tenant, "someone-else", "GET", "/api/v1/jobs", 200, 700)));
        jdbc.queryForObject("select quarry_refresh_search_stats(?, ?)", Boolean.class, tenant, VERSION);
        assertThat(referencesToTheSubject()).as("the seed reaches every kind of table").hasSizeGreaterThanOrEqualTo(13);
    }

    private void document(UUID id, String uploader, String text) {
        jdbc.update("""
                insert into documents (id, tenant_id, uploaded_by, title, media_type, size_bytes, content_sha256, status, chunk_count)
                values (?, ?, ?, 'notes.txt', 'text/plain', 10, ?, 'INDEXED', 1)""", id, tenant, uploader, "sha-" + id);
        jdbc.update("insert into document_contents (document_id, bytes) values (?, ?)", id, text.getBytes());
        jdbc.update("insert into document_texts (document_id, content_sha256, text) values (?, ?, ?)", id, "sha-" + id, text);
        jdbc.update("insert into pipeline_steps (document_id, content_sha256, step, embedding_version) values (?, ?, 'store', ?)",
                id, "sha-" + id, VERSION);
        jdbc.update("""
                insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                values (?, ?, 0, ?, 8, array_fill(0.1, array[384])::vector, ?)""", tenant, id, text, VERSION);
        jdbc.update("""
                insert into embedding_cache (tenant_id, embedding_version, text_sha256, embedding)
                values (?, ?, encode(sha256(convert_to(?, 'UTF8')), 'hex'), array_fill(0.1, array[384])::vector)""",
                tenant, VERSION, text);
    }

    /** A complete embedding batch that {@code requester} submitted, its text still stored, its results in parts. */
    private UUID embeddingBatch(String requester, String text) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into jobs (id, tenant_id, type, status, enqueued_at, finished_at) "
                + "values (?, ?, 'EMBED_BATCH', 'SUCCEEDED', now(), now())", id, tenant);
        jdbc.update("""
                insert into embedding_batches (id, tenant_id, embedding_version, requested_by, items, item_count, tokens,
                                               size_bytes, sha256, part_size, completed_at, expires_at)
                values (?, ?, ?, ?, ?::jsonb, 1, 9, 4, 'sha', 1024, now(), now() + interval '1 day')""",
                id, tenant, VERSION, requester, JSON.createArrayNode().add(JSON.createObjectNode().put("id", "1")
                        .put("text", text)).toString());
        jdbc.update("insert into export_parts (export_id, part_no, bytes) values (?, 0, ?)", id, text.getBytes());
        return id;
    }

    /** A thread of {@code owner} with a question and its answered CHAT job, whose events quote the question. */
    private void conversation(String owner, String question) {
        UUID thread = UUID.randomUUID();
        UUID chat = UUID.randomUUID();
        jdbc.update("insert into conversations (id, tenant_id, owner, title) values (?, ?, ?, 'notes')", thread, tenant, owner);
        jdbc.update("insert into jobs (id, tenant_id, type, status, enqueued_at, finished_at) values (?, ?, 'CHAT', 'SUCCEEDED', now(), now())",
                chat, tenant);
        jdbc.update("insert into job_events (job_id, tenant_id, type, data) values (?, ?, 'progress', ?::jsonb)",
                chat, tenant, JSON.createObjectNode().put("step", "answer").put("delta", "You asked: " + question).toString());
        for (String role : new String[]{"user", "assistant"}) {
            jdbc.update("insert into conversation_messages (id, conversation_id, tenant_id, owner, role, content, job_id) "
                    + "values (?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(), thread, tenant, owner, role, question, chat);
        }
    }

    /** An export run to completion by the real export job, so its file holds what the scope selects. */
    private UUID exported(ExportScope scope, String requestedBy) {
        UUID id = exports.request(new ExportRequest(tenant, scope, ExportFormat.ZIP, false, requestedBy,
                "export-" + UUID.randomUUID(), null)).id();
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "SUCCEEDED".equals(jdbc.queryForObject("select status from jobs where id = ?", String.class, id)));
        assertThat(parts(id)).isPositive();
        return id;
    }

    private int parts(UUID export) {
        return jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class, export);
    }

    private UUID job(UUID document, String status) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into jobs (id, tenant_id, type, status, document_id, enqueued_at, finished_at) values (?, ?, 'INGEST', ?, ?, now(), now())",
                id, tenant, status, document);
        return id;
    }

    /**
     * Every row of every table of the schema that mentions the subject, their document or their word (its stem:
     * the search statistics hold stemmed lexemes).
     */
    private List<String> referencesToTheSubject() {
        List<String> found = new ArrayList<>();
        for (String table : jdbc.queryForList("""
                select table_name from information_schema.tables
                where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1""", String.class)) {
            Integer rows = jdbc.queryForObject("select count(*) from \"" + table + "\" t where t::text ilike any (?)",
                    Integer.class, (Object) new String[]{"%" + subject + "%", "%" + theirs + "%", "%" + uniqueWord.substring(0, uniqueWord.length() - 2) + "%"});
            if (rows != null && rows > 0) found.add(table + " (" + rows + ")");
        }
        return found;
    }

    private Erasure erase() {
        Job job = erasures.request(tenant, subject, "erase-" + UUID.randomUUID(), null);
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "SUCCEEDED".equals(jdbc.queryForObject("select status from jobs where id = ?", String.class, job.id())));
        return erasures.find(tenant, job.id()).orElseThrow();
    }

    @Test
    void erasure_leaves_no_reference_to_the_subject_in_any_table_and_returns_a_receipt() {
        Erasure receipt = erase();

        assertThat(referencesToTheSubject()).isEmpty();
        // The files are bytes, which the text search above cannot read: the subject's text is in them.
        assertThat(parts(exportOfTheirs)).isZero();
        assertThat(parts(exportTheyRequested)).isZero();
        assertThat(exports.purged(exportOfTheirs)).isTrue();
        assertThat(exports.purged(exportTheyRequested)).isTrue();
        assertThat(parts(batchTheySubmitted)).isZero();
        assertThat(jdbc.queryForObject("select purged_at is not null and items is null from embedding_batches where id = ?",
                Boolean.class, batchTheySubmitted)).isTrue();
        // The cache is keyed by a hash of the text, which the text search above cannot see.
        assertThat(jdbc.queryForObject("select count(*) from embedding_cache where tenant_id = ?", Integer.class, tenant)).isEqualTo(1);
        assertThat(receipt.documents()).isEqualTo(1);
        assertThat(receipt.chunks()).isEqualTo(1);
        assertThat(receipt.cacheEntries()).isEqualTo(1);
        assertThat(receipt.jobs()).isEqualTo(2);
        assertThat(receipt.auditActors()).isEqualTo(1);
        assertThat(receipt.finishedAt()).isAfterOrEqualTo(receipt.requestedAt());
        assertThat(receipt.subjectSha256()).hasSize(64).doesNotContain(subject);
        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class, someoneElses)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from documents where id = ?", Integer.class, someoneElses)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from api_requests where tenant_id = ?", Integer.class, tenant))
                .as("someone else's tracked request stays").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from conversation_messages where tenant_id = ?", Integer.class, tenant))
                .isEqualTo(2);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void erasing_again_or_erasing_an_unknown_subject_is_a_receipt_of_nothing() {
        erase();

        Erasure again = erase();

        assertThat(again.documents()).isZero();
        assertThat(again.chunks()).isZero();
        assertThat(again.auditActors()).isZero();
        assertThat(again.finishedAt()).isNotNull();
    }
}
