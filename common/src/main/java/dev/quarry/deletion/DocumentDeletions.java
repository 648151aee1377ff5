package dev.quarry.deletion;

import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * The one owner of {@code document_deletions}: a DELETE_DOCUMENTS job's documents, fixed when it is accepted,
 * and its counts. The job deletes each through {@link DocumentDeletion}, one per transaction, so it survives
 * a crash (a re-run finds the ones still there) and never holds long locks.
 */
@Repository
public class DocumentDeletions {
    private final JdbcClient jdbc;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;

    DocumentDeletions(JdbcClient jdbc, PgJobStore jobs, JobDispatcher dispatcher) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
    }

    /** Records the job and its documents; joins the caller's transaction (with its idempotency record). */
    @Transactional
    public Job request(String tenant, List<UUID> documentIds, String idempotencyKey, String traceParent) {
        Job job = jobs.create(new NewJob(UUID.randomUUID(), tenant, JobType.DELETE_DOCUMENTS, null, idempotencyKey, traceParent));
        jdbc.sql("insert into document_deletions (job_id, tenant_id, document_ids) values (?, ?, cast(? as uuid[]))")
                .params(job.id(), tenant, documentIds.stream().map(UUID::toString).toArray(String[]::new)).update();
        dispatcher.dispatchAfterCommit(job.id());
        return job;
    }

    /** The job's documents that still exist. */
    public List<UUID> remaining(UUID jobId, String tenant) {
        return jdbc.sql("""
                        select d.id from document_deletions x cross join unnest(x.document_ids) as i(id)
                        join documents d on d.id = i.id and d.tenant_id = x.tenant_id
                        where x.job_id = ? and x.tenant_id = ? order by d.id""")
                .params(jobId, tenant).query(UUID.class).list();
    }

    /** Counts one deleted document; in the transaction of its deletion. */
    public void counted(UUID jobId, DocumentDeleted deleted) {
        jdbc.sql("update document_deletions set documents = documents + 1, chunks = chunks + ? where job_id = ?")
                .params(deleted.chunks(), jobId).update();
    }

    /** How many documents the job has deleted so far. */
    public int deleted(UUID jobId) {
        return jdbc.sql("select documents from document_deletions where job_id = ?").param(jobId).query(Integer.class)
                .optional().orElse(0);
    }
}
