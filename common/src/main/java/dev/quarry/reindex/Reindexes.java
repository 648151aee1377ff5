package dev.quarry.reindex;

import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;
import java.util.UUID;

/**
 * The only writer of {@code reindexes}: starting a reindex (an operator's, through the API, or a worker's
 * catch-up), finishing it, and its per-document jobs ({@code jobs.parent_job_id}). At most one reindex per
 * tenant runs at a time (a unique index on unfinished rows).
 */
@Repository
public class Reindexes {
    private final JdbcClient jdbc;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;

    Reindexes(JdbcClient jdbc, PgJobStore jobs, JobDispatcher dispatcher) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
    }

    /**
     * Starts a reindex of {@code tenant} from {@code sourceVersion} into {@code targetVersion}: in the caller's
     * transaction (or its own) the parent REINDEX job and its row; JobRunr gets the job after commit. A reindex
     * whose job has ended (cancelled while queued, dead-lettered) no longer holds the tenant.
     *
     * @throws ReindexInProgressException if the tenant has a reindex running (the transaction rolls back)
     */
    @Transactional
    public Job start(String tenant, String sourceVersion, String targetVersion, String idempotencyKey,
                     String traceParent) {
        jdbc.sql("select 1 from quarry_close_ended_reindexes(?)").param(tenant).query(Integer.class).single();
        UUID jobId = UUID.randomUUID();
        Job job = jobs.create(new NewJob(jobId, tenant, JobType.REINDEX, null, idempotencyKey, traceParent));
        int inserted = jdbc.sql("""
                        insert into reindexes (job_id, tenant_id, source_version, target_version)
                        values (?, ?, ?, ?) on conflict (tenant_id) where finished_at is null do nothing""")
                .params(jobId, tenant, sourceVersion, targetVersion).update();
        if (inserted == 0) throw new ReindexInProgressException(tenant);
        dispatcher.dispatchAfterCommit(jobId);
        return job;
    }

    public Optional<Reindex> find(UUID jobId, String tenant) {
        return jdbc.sql("""
                        select job_id, tenant_id, source_version, target_version, finished_at is not null
                        from reindexes where job_id = ? and tenant_id = ?""")
                .params(jobId, tenant)
                .query((rs, row) -> new Reindex(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5)))
                .optional();
    }

    /** What a per-document job works on. */
    public Optional<ReindexTask> task(UUID childJobId, String tenant) {
        return jdbc.sql("""
                        select j.document_id, r.job_id, r.target_version
                        from jobs j join reindexes r on r.job_id = j.parent_job_id
                        where j.id = ? and j.tenant_id = ? and j.document_id is not null""")
                .params(childJobId, tenant)
                .query((rs, row) -> new ReindexTask(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3)))
                .optional();
    }

    /**
     * Records one document's job of a reindex; the caller hands it to JobRunr after commit, or the outbox
     * sweeper of any process does.
     */
    @Transactional
    public UUID createDocumentJob(UUID reindexJobId, String tenant, UUID documentId, String traceParent) {
        UUID id = UUID.randomUUID();
        jobs.create(new NewJob(id, tenant, JobType.REINDEX_DOCUMENT, documentId, null, traceParent), reindexJobId);
        return id;
    }

    /** The tenant's documents that have chunks: what the target version must cover. */
    public int documentsWithChunks(String tenant) {
        return jdbc.sql("""
                        select count(*) from documents d
                        where d.tenant_id = ? and exists (select 1 from chunks c where c.document_id = d.id)""")
                .param(tenant).query(Integer.class).single();
    }

    /** Lets the tenant start another reindex; in the caller's transaction. */
    public void finish(UUID jobId) {
        jdbc.sql("update reindexes set finished_at = now() where job_id = ? and finished_at is null").param(jobId)
                .update();
    }
}
