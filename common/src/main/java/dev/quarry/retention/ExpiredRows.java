package dev.quarry.retention;

import dev.quarry.embedding.batch.EmbeddingBatches;
import dev.quarry.analytics.PgApiRequests;
import dev.quarry.exports.Exports;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What retention would delete now: the dry run counts it, the sweep takes it in batches, oldest first, and
 * deletes each kind through its owner. One condition per kind serves both, so the dry run cannot promise
 * what the sweep does not do; expired export files and embedding results are counted by their owners,
 * {@link Exports} and {@link EmbeddingBatches}, whose {@code deleteExpired} the sweep calls, and tracked API
 * requests by theirs, {@link PgApiRequests}. A null tenant means every tenant. Only reads.
 */
@Repository
public class ExpiredRows {
    private static final String DOCUMENTS = """
            from documents d
            left join retention_policies c on c.tenant_id = d.tenant_id and c.collection = d.collection
            left join retention_policies t on t.tenant_id = d.tenant_id and t.collection = ''
            where d.updated_at < now() - coalesce(c.documents, t.documents, make_interval(secs => ?))
              and (cast(? as text) is null or d.tenant_id = ?)""";
    // ERASURE jobs hold erasure receipts, which are kept; a job with an open dead letter waits for it.
    private static final String JOBS = """
            from jobs j
            left join retention_policies t on t.tenant_id = j.tenant_id and t.collection = ''
            where j.finished_at < now() - coalesce(t.jobs, make_interval(secs => ?))
              and j.status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTERED') and j.type <> 'ERASURE'
              and j.parent_job_id is null
              and not exists (select 1 from dead_letter_jobs dl where dl.job_id = j.id and dl.requeued_at is null)
              and (cast(? as text) is null or j.tenant_id = ?)""";
    private static final String DEAD_LETTERS = """
            from dead_letter_jobs dl
            left join retention_policies t on t.tenant_id = dl.tenant_id and t.collection = ''
            where dl.created_at < now() - coalesce(t.dead_letters, make_interval(secs => ?))
              and (cast(? as text) is null or dl.tenant_id = ?)""";

    private final JdbcClient jdbc;
    private final RetentionProperties defaults;
    private final Exports exports;
    private final EmbeddingBatches embeddingBatches;
    private final PgApiRequests apiRequests;

    ExpiredRows(JdbcClient jdbc, RetentionProperties defaults, Exports exports, EmbeddingBatches embeddingBatches,
                PgApiRequests apiRequests) {
        this.jdbc = jdbc;
        this.defaults = defaults;
        this.exports = exports;
        this.embeddingBatches = embeddingBatches;
        this.apiRequests = apiRequests;
    }

    /** A document to delete, with its tenant (the sweep runs across tenants). */
    public record ExpiredDocument(String tenant, UUID id) {
    }

    public RetentionPlan plan(String tenant) {
        return new RetentionPlan(
                count(DOCUMENTS, defaults.documents().toSeconds(), tenant),
                count(JOBS, defaults.jobs().toSeconds(), tenant),
                count(DEAD_LETTERS, defaults.deadLetters().toSeconds(), tenant),
                // One chain for every tenant: a tenant admin's dry run shows its own entries that would go.
                jdbc.sql("select count(*) from audit_entries where at < ? and (cast(? as text) is null or tenant_id = ?)")
                        .params(auditCutoff(), tenant, tenant).query(Long.class).single(),
                exports.countExpired(tenant), embeddingBatches.countExpired(tenant),
                apiRequests.countRecordedBefore(apiRequestCutoff(), tenant));
    }

    public List<ExpiredDocument> documents(int limit) {
        return jdbc.sql("select d.tenant_id, d.id " + DOCUMENTS + " order by d.updated_at limit ?")
                .params(defaults.documents().toSeconds(), null, null, limit)
                .query((rs, i) -> new ExpiredDocument(rs.getString(1), rs.getObject(2, UUID.class))).list();
    }

    public List<UUID> jobs(int limit) {
        return ids("select j.id " + JOBS + " order by j.finished_at limit ?", defaults.jobs().toSeconds(), limit);
    }

    public List<UUID> deadLetters(int limit) {
        return ids("select dl.id " + DEAD_LETTERS + " order by dl.created_at limit ?", defaults.deadLetters().toSeconds(), limit);
    }

    /** Audit entries recorded before this are past retention. */
    public Timestamp auditCutoff() {
        return Timestamp.from(Instant.now().minus(defaults.audit()));
    }

    /** Tracked API requests recorded before this are past retention (one period for every tenant). */
    public Instant apiRequestCutoff() {
        return Instant.now().minus(defaults.apiRequests());
    }

    private long count(String condition, long defaultSeconds, String tenant) {
        return jdbc.sql("select count(*) " + condition).params(defaultSeconds, tenant, tenant).query(Long.class).single();
    }

    private List<UUID> ids(String sql, long defaultSeconds, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(defaultSeconds);
        params.add(null);
        params.add(null);
        params.add(limit);
        return jdbc.sql(sql).params(params).query(UUID.class).list();
    }
}
