package dev.quarry.worker.retention;

import dev.quarry.retention.ExpiredRows;
import dev.quarry.retention.RetentionPlan;
import dev.quarry.retention.RetentionPolicies;
import dev.quarry.retention.RetentionPolicy;
import dev.quarry.worker.testing.WorkerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep against seeded rows of every age: what the policy (defaults, a tenant's, a collection's) says
 * has expired goes, with everything derived; the rest stays; the dry run predicted exactly that.
 */
class RetentionSweepIT extends WorkerContext {
    @Autowired RetentionSweep sweep;
    @Autowired ExpiredRows expired;
    @Autowired RetentionPolicies policies;
    @Autowired JdbcTemplate jdbc;
    @Autowired MeterRegistry meters;

    private final String tenant = "retention-" + UUID.randomUUID();
    private UUID oldDocument, freshDocument, shortLivedDocument, tenDaysOldDocument;
    private UUID oldJob, oldJobWithOpenDeadLetter, oldErasure, recentJob, oldDeadLetter, recentDeadLetter;
    private UUID expiredExport, liveExport, expiredBatch, liveBatch;

    @BeforeEach
    void rowsOfEveryAge() {
        policies.save(tenant, "short", new RetentionPolicy(Duration.ofDays(7), null, null));
        oldDocument = document("default", 200);
        freshDocument = document("default", 0);
        shortLivedDocument = document("short", 10);
        tenDaysOldDocument = document("default", 10);
        oldJob = job("INGEST", "SUCCEEDED", 100);
        jdbc.update("insert into job_events (job_id, tenant_id, type) values (?, ?, 'succeeded')", oldJob, tenant);
        oldJobWithOpenDeadLetter = job("INGEST", "DEAD_LETTERED", 100);
        recentDeadLetter = deadLetter(oldJobWithOpenDeadLetter, 10, false);
        oldErasure = job("ERASURE", "SUCCEEDED", 100);
        recentJob = job("INGEST", "DEAD_LETTERED", 1);
        oldDeadLetter = deadLetter(recentJob, 40, true);
        expiredExport = exportFile(-1);
        liveExport = exportFile(6);
        expiredBatch = embeddingResults(-1);
        liveBatch = embeddingResults(6);
        apiRequest(100);
        apiRequest(91);
        apiRequest(80);
    }

    /** A complete embedding batch whose results are two parts, stored where export files are. */
    private UUID embeddingResults(int daysToExpiry) {
        UUID id = job("EMBED_BATCH", "SUCCEEDED", 0);
        jdbc.update("""
                insert into embedding_batches (id, tenant_id, embedding_version, item_count, tokens, size_bytes, sha256,
                                               part_size, completed_at, expires_at)
                values (?, ?, 'v-retention@1', 1, 2, 6, 'sha', 4, now(), now() + make_interval(days => ?))""",
                id, tenant, daysToExpiry);
        jdbc.update("insert into export_parts (export_id, part_no, bytes) values (?, 0, ?), (?, 1, ?)",
                id, new byte[]{1, 2, 3, 4}, id, new byte[]{5, 6});
        return id;
    }

    /** A tracked API request recorded that many days ago (the default period is 90 days). */
    private void apiRequest(int daysOld) {
        jdbc.update("""
                insert into api_requests (at, tenant_id, subject, method, route, status, duration_micros)
                values (now() - make_interval(days => ?), ?, 'someone', 'GET', '/api/v1/jobs', 200, 1000)""",
                daysOld, tenant);
    }

    private int apiRequests() {
        return jdbc.queryForObject("select count(*) from api_requests where tenant_id = ?", Integer.class, tenant);
    }

    /** A complete export (its job finished just now, so only the file's own expiry decides) of two parts. */
    private UUID exportFile(int daysToExpiry) {
        UUID id = job("EXPORT", "SUCCEEDED", 0);
        jdbc.update("""
                insert into exports (id, tenant_id, format, scope, part_size, filename, content_type, size_bytes, sha256,
                                     documents, completed_at, expires_at)
                values (?, ?, 'JSON', '{}'::jsonb, 4, 'export.json', 'application/json', 6, 'sha', 1, now(),
                        now() + make_interval(days => ?))""", id, tenant, daysToExpiry);
        jdbc.update("insert into export_parts (export_id, part_no, bytes) values (?, 0, ?), (?, 1, ?)",
                id, new byte[]{1, 2, 3, 4}, id, new byte[]{5, 6});
        return id;
    }

    private int parts(UUID export) {
        return jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class, export);
    }

    private UUID document(String collection, int daysOld) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into documents (id, tenant_id, title, collection, media_type, size_bytes, content_sha256, status,
                                       created_at, updated_at)
                values (?, ?, 't', ?, 'text/plain', 1, 'sha', 'INDEXED', now() - make_interval(days => ?), now() - make_interval(days => ?))""",
                id, tenant, collection, daysOld, daysOld);
        jdbc.update("""
                insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                values (?, ?, 0, 'retention text', 2, array_fill(0.1, array[384])::vector, 'v-retention')""", tenant, id);
        return id;
    }

    private UUID job(String type, String status, int daysSinceFinished) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into jobs (id, tenant_id, type, status, enqueued_at, finished_at)
                values (?, ?, ?, ?, now(), now() - make_interval(days => ?))""", id, tenant, type, status, daysSinceFinished);
        return id;
    }

    private UUID deadLetter(UUID job, int daysOld, boolean requeued) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into dead_letter_jobs (id, job_id, tenant_id, job_type, payload, error_class, classification, attempts,
                                              first_failed_at, last_failed_at, created_at, requeued_at)
                values (?, ?, ?, 'INGEST', '{}'::jsonb, 'X', 'PERMANENT', 1, now(), now(),
                        now() - make_interval(days => ?), case when ? then now() end)""",
                id, job, tenant, daysOld, requeued);
        return id;
    }

    private boolean exists(String table, UUID id) {
        return jdbc.queryForObject("select count(*) from " + table + " where id = ?", Integer.class, id) == 1;
    }

    @Test
    void the_sweep_deletes_exactly_what_the_dry_run_counted_and_keeps_the_rest() {
        RetentionPlan planned = expired.plan(tenant);
        assertThat(planned).isEqualTo(new RetentionPlan(2, 1, 1, 0, 1, 1, 2));
        double before = meters.counter("quarry.retention.deleted", "kind", "documents").count();
        double exportFilesBefore = meters.counter("quarry.retention.deleted", "kind", "export_files").count();

        RetentionPlan done = sweep.sweep();

        assertThat(done.documents()).isGreaterThanOrEqualTo(2);
        assertThat(exists("documents", oldDocument)).isFalse();
        assertThat(exists("documents", shortLivedDocument)).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id in (?, ?)", Integer.class,
                oldDocument, shortLivedDocument)).isZero();
        assertThat(exists("documents", freshDocument)).isTrue();
        assertThat(exists("documents", tenDaysOldDocument)).isTrue();
        assertThat(exists("jobs", oldJob)).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ?", Integer.class, oldJob)).isZero();
        assertThat(exists("jobs", oldJobWithOpenDeadLetter)).isTrue();
        assertThat(exists("dead_letter_jobs", recentDeadLetter)).isTrue();
        assertThat(exists("jobs", oldErasure)).isTrue();
        assertThat(exists("jobs", recentJob)).isTrue();
        assertThat(exists("dead_letter_jobs", oldDeadLetter)).isFalse();
        assertThat(parts(expiredExport)).isZero();
        assertThat(exists("exports", expiredExport)).as("the row stays, purged, as the record of the export").isTrue();
        assertThat(jdbc.queryForObject("select purged_at is not null from exports where id = ?", Boolean.class,
                expiredExport)).isTrue();
        assertThat(parts(liveExport)).isEqualTo(2);
        assertThat(apiRequests()).as("the request of 80 days stays").isEqualTo(1);
        assertThat(done.apiRequests()).isGreaterThanOrEqualTo(planned.apiRequests());
        assertThat(done.exportFiles()).isGreaterThanOrEqualTo(planned.exportFiles());
        assertThat(jdbc.queryForObject("select count(*) from exports where tenant_id = ? and purged_at is not null",
                Long.class, tenant)).as("exactly what the dry run counted").isEqualTo(planned.exportFiles());
        assertThat(meters.counter("quarry.retention.deleted", "kind", "export_files").count() - exportFilesBefore)
                .isGreaterThanOrEqualTo(1);
        assertThat(parts(expiredBatch)).isZero();
        assertThat(jdbc.queryForObject("select purged_at is not null from embedding_batches where id = ?",
                Boolean.class, expiredBatch)).as("the row stays, purged").isTrue();
        assertThat(parts(liveBatch)).isEqualTo(2);
        assertThat(done.embeddingResults()).isGreaterThanOrEqualTo(1);
        assertThat(expired.plan(tenant)).isEqualTo(new RetentionPlan(0, 0, 0, 0, 0, 0, 0));
        assertThat(meters.counter("quarry.retention.deleted", "kind", "documents").count() - before).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("""
                select count(*) from audit_entries where role = 'system' and action = 'RETENTION sweep'
                and at > now() - interval '5 minutes' and outcome like '%exportFiles=%embeddingResults=%apiRequests=%'""", Integer.class)).isPositive();
    }
}
