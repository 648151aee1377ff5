package dev.quarry.exports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one way to start an export, and the owner of {@code exports}. {@link #request} is the entry point for
 * the HTTP API and for anyone else who needs a file of a tenant's documents (a GDPR access request is
 * {@code request(new ExportRequest(tenant, ExportScope.uploadedBy(sub), ExportFormat.ZIP, ...))}): it
 * records the job and the export in the caller's transaction and hands the job to JobRunr after commit.
 * The file is {@link PgExportFiles}'; {@link #deleteExpired} is what the retention job calls.
 */
@Component
@EnableConfigurationProperties(ExportProperties.class)
public class Exports {
    /** What an erased subject's {@code sub} becomes in an export's scope. */
    public static final String ERASED = "(erased)";
    /** The one condition of an expired file, shared by {@link #deleteExpired} and {@link #countExpired}. */
    private static final String EXPIRED = "expires_at <= now() and purged_at is null";
    private static final String COLUMNS = """
            id, tenant_id, format, scope, include_vectors, requested_by, filename, content_type, size_bytes, sha256,
            documents, part_size, created_at, completed_at, expires_at""";
    private final JdbcClient jdbc;
    private final PgExportFiles files;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;
    private final ExportProperties properties;
    private final ObjectMapper json;

    Exports(JdbcClient jdbc, PgExportFiles files, PgJobStore jobs, JobDispatcher dispatcher,
            ExportProperties properties, ObjectMapper json) {
        this.jdbc = jdbc;
        this.files = files;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.json = json;
    }

    /** Records an EXPORT job and its export (their id is the same) and dispatches the job after commit. */
    @Transactional
    public Job request(ExportRequest request) {
        Job job = jobs.create(newJob(request.tenantId(), JobType.EXPORT, request.idempotencyKey(),
                request.traceParent()));
        insert(job.id(), request);
        dispatcher.dispatchAfterCommit(job);
        return job;
    }

    /**
     * A bulk export: one EXPORT_BULK parent to follow and one EXPORT child per request, all committed together
     * and dispatched after commit. The requests must share a tenant, key and trace.
     *
     * @return the parent job, then the children in the order of {@code requests}
     */
    @Transactional
    public List<Job> requestBulk(List<ExportRequest> requests) {
        ExportRequest first = requests.get(0);
        Job parent = jobs.create(newJob(first.tenantId(), JobType.EXPORT_BULK, first.idempotencyKey(),
                first.traceParent()));
        List<Job> created = new ArrayList<>(List.of(parent));
        for (ExportRequest request : requests) {
            Job child = jobs.create(newJob(request.tenantId(), JobType.EXPORT, null, request.traceParent()), parent.id());
            insert(child.id(), request);
            created.add(child);
        }
        created.forEach(dispatcher::dispatchAfterCommit);
        return created;
    }

    public Optional<Export> find(String tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from exports where id = ? and tenant_id = ?")
                .params(id, tenant).query(this::map).optional();
    }

    /** The exports of a bulk export's parent job, oldest first. */
    public List<Export> children(String tenant, UUID parentJobId) {
        return jdbc.sql("select " + COLUMNS + """
                         from exports where id in (select id from jobs where parent_job_id = ?) and tenant_id = ?
                        order by created_at, id""")
                .params(parentJobId, tenant).query(this::map).list();
    }

    /** Whether the export's file is gone (deleted by {@link #deleteExpired}). */
    public boolean purged(UUID id) {
        return jdbc.sql("select purged_at is not null from exports where id = ?").param(id)
                .query(Boolean.class).optional().orElse(true);
    }

    /**
     * Describes the finished file and starts its time to live; joins the caller's transaction, which also
     * marks the job SUCCEEDED.
     */
    @Transactional
    public void complete(UUID id, String filename, PgExportFiles.Written file, int documents) {
        jdbc.sql("""
                        update exports set filename = ?, content_type = ?, size_bytes = ?, sha256 = ?, documents = ?,
                            completed_at = now(), expires_at = ? where id = ?""")
                .params(filename, format(id).contentType(), file.size(), file.sha256(), documents,
                        Timestamp.from(Instant.now().plus(properties.ttl())), id)
                .update();
    }

    /**
     * Deletes the files of at most {@code batch} expired exports, oldest expiry first, and returns how many.
     * Each call is one short transaction that skips exports another sweeper holds, so the retention job can
     * call it in a loop until it returns 0 without holding long locks. The rows stay (purged), as the record
     * of what was exported; they go with their jobs.
     */
    @Transactional
    public int deleteExpired(int batch) {
        List<UUID> expired = jdbc.sql("select id from exports where " + EXPIRED
                        + " order by expires_at limit ? for update skip locked")
                .param(batch).query(UUID.class).list();
        if (expired.isEmpty()) return 0;
        UUID[] ids = expired.toArray(UUID[]::new);
        files.delete(ids);
        jdbc.sql("update exports set purged_at = now() where id = any(cast(? as uuid[]))").param(ids).update();
        return expired.size();
    }

    /** How many files {@link #deleteExpired} would delete now, of one tenant or (null) of every tenant. */
    public long countExpired(String tenant) {
        return jdbc.sql("select count(*) from exports where " + EXPIRED
                        + " and (cast(? as text) is null or tenant_id = ?)")
                .params(tenant, tenant).query(Long.class).single();
    }

    /**
     * Erasure of a data subject: deletes the files of the tenant's exports of their documents (scope
     * {@code uploadedBy}) or that they requested, and takes their {@code sub} out of those rows, which stay
     * (purged) as the record that an export ran. The scope keeps its shape with {@link #ERASED} in place of
     * the subject, so that an export still running finds no documents and writes an empty, already purged
     * file. Exports of a wider scope (a collection, the whole tenant) held the subject's documents only
     * among others' and are left to their expiry. The subject leaves {@code visibleTo} too.
     *
     * @return how many exports were purged
     */
    @Transactional
    public int eraseSubject(String tenant, String subject) {
        String theirs = "tenant_id = ? and (scope->>'uploadedBy' = ? or requested_by = ?)";
        jdbc.sql("delete from export_parts where export_id in (select id from exports where " + theirs + ")")
                .params(tenant, subject, subject).update();
        // A user's export names its requester in visibleTo too (whose private documents it held).
        jdbc.sql("update exports set scope = jsonb_set(scope, '{visibleTo}', to_jsonb(cast(? as text))) "
                        + "where tenant_id = ? and scope->>'visibleTo' = ?")
                .params(ERASED, tenant, subject).update();
        return jdbc.sql("""
                        update exports set purged_at = coalesce(purged_at, now()),
                            requested_by = case when requested_by = ? then null else requested_by end,
                            scope = case when scope->>'uploadedBy' = ? then jsonb_set(scope, '{uploadedBy}', to_jsonb(cast(? as text)))
                                         else scope end
                        where\s""" + theirs)
                .params(subject, subject, ERASED, tenant, subject, subject).update();
    }

    public int partSize() {
        return properties.partSize();
    }

    private ExportFormat format(UUID id) {
        return ExportFormat.valueOf(jdbc.sql("select format from exports where id = ?").param(id)
                .query(String.class).single());
    }

    private void insert(UUID id, ExportRequest request) {
        jdbc.sql("""
                        insert into exports (id, tenant_id, format, scope, include_vectors, requested_by, part_size,
                            expires_at)
                        values (?, ?, ?, cast(? as jsonb), ?, ?, ?, ?)""")
                .params(id, request.tenantId(), request.format().name(), write(request.scope()),
                        request.includeVectors(), request.requestedBy(), properties.partSize(),
                        Timestamp.from(Instant.now().plus(properties.ttl())))
                .update();
    }

    private static NewJob newJob(String tenant, JobType type, String key, String traceParent) {
        return new NewJob(UUID.randomUUID(), tenant, type, null, key, traceParent);
    }

    private String write(ExportScope scope) {
        try {
            return json.writeValueAsString(scope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a scope of strings, ids and instants is always serializable", e);
        }
    }

    private Export map(ResultSet rs, int row) throws SQLException {
        ExportScope scope;
        try {
            scope = json.readValue(rs.getString("scope"), ExportScope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("exports.scope of " + rs.getString("id") + " is not a scope", e);
        }
        long size = rs.getLong("size_bytes");
        Long sizeBytes = rs.wasNull() ? null : size;
        int documents = rs.getInt("documents");
        Integer documentCount = rs.wasNull() ? null : documents;
        return new Export(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                ExportFormat.valueOf(rs.getString("format")), scope, rs.getBoolean("include_vectors"),
                rs.getString("requested_by"), rs.getString("filename"), rs.getString("content_type"), sizeBytes,
                rs.getString("sha256"), documentCount, rs.getInt("part_size"), instant(rs, "created_at"),
                instant(rs, "completed_at"), instant(rs, "expires_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
