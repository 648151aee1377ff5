package dev.quarry.worker.reindex;

import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The {@code reindexes} rows and their per-document jobs ({@code jobs.parent_job_id}). */
@Repository
class PgReindexes {
    private final JdbcClient jdbc;
    private final PgJobStore jobs;

    PgReindexes(JdbcClient jdbc, PgJobStore jobs) {
        this.jdbc = jdbc;
        this.jobs = jobs;
    }

    record Reindex(UUID jobId, String tenantId, String sourceVersion, String targetVersion, boolean finished) {
    }

    /** What a per-document job works on. */
    record DocumentTask(UUID documentId, UUID reindexJobId, String targetVersion) {
    }

    Optional<Reindex> find(UUID jobId, String tenant) {
        return jdbc.sql("""
                        select job_id, tenant_id, source_version, target_version, finished_at is not null
                        from reindexes where job_id = ? and tenant_id = ?""")
                .params(jobId, tenant)
                .query((rs, row) -> new Reindex(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5)))
                .optional();
    }

    Optional<DocumentTask> task(UUID childJobId, String tenant) {
        return jdbc.sql("""
                        select j.document_id, r.job_id, r.target_version
                        from jobs j join reindexes r on r.job_id = j.parent_job_id
                        where j.id = ? and j.tenant_id = ? and j.document_id is not null""")
                .params(childJobId, tenant)
                .query((rs, row) -> new DocumentTask(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3)))
                .optional();
    }

    /** The per-document job's row; JobRunr gets it afterwards (the row is the outbox, as for uploads). */
    @Transactional
    UUID createDocumentJob(UUID parentJobId, String tenant, UUID documentId, String traceParent) {
        UUID id = UUID.randomUUID();
        jobs.create(new NewJob(id, tenant, JobType.REINDEX_DOCUMENT, documentId, null, traceParent));
        jdbc.sql("update jobs set parent_job_id = ? where id = ?").params(parentJobId, id).update();
        return id;
    }

    Map<UUID, JobStatus> statuses(List<UUID> jobIds) {
        Map<UUID, JobStatus> statuses = new HashMap<>();
        if (jobIds.isEmpty()) return statuses;
        jdbc.sql("select id, status from jobs where id = any(cast(? as uuid[]))")
                .param(jobIds.toArray(UUID[]::new))
                .query((rs, row) -> statuses.put(rs.getObject(1, UUID.class), JobStatus.valueOf(rs.getString(2))))
                .list();
        return statuses;
    }

    /** The tenant's documents that have chunks: what the target version must cover. */
    int documentsWithChunks(String tenant) {
        return jdbc.sql("""
                        select count(*) from documents d
                        where d.tenant_id = ? and exists (select 1 from chunks c where c.document_id = d.id)""")
                .param(tenant).query(Integer.class).single();
    }

    /** Lets the tenant start another reindex; in the caller's transaction. */
    void finish(UUID jobId) {
        jdbc.sql("update reindexes set finished_at = now() where job_id = ? and finished_at is null").param(jobId)
                .update();
    }

    String traceParent(UUID jobId) {
        return jdbc.sql("select trace_parent from jobs where id = ?").param(jobId).query(String.class)
                .optional().orElse(null);
    }
}
