package dev.quarry.jobs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The only writer of {@code dead_letter_jobs}. An entry is opened with the job's move to DEAD_LETTERED
 * ({@link JobLifecycle#deadLetter}), closed (kept as history) by a requeue and deleted by a discard
 * ({@link DeadLetters}). At most one open entry per job (a unique index). Reads for the admin API may live
 * with the API; they never write.
 */
@Repository
class PgDeadLetterJobs {
    private final JdbcClient jdbc;

    PgDeadLetterJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens the job's entry, payload and first failure time taken from its row; empty if one is open already. */
    Optional<UUID> open(UUID jobId, String tenantId, DeadLetterCause cause) {
        UUID id = UUID.randomUUID();
        int inserted = jdbc.sql("""
                        insert into dead_letter_jobs (id, job_id, tenant_id, job_type, payload, error_class, message,
                            root_cause, classification, attempts, first_failed_at, last_failed_at)
                        select :id, j.id, j.tenant_id, j.type, jsonb_build_object('documentId', j.document_id),
                               :errorClass, :message, :rootCause, :classification, :attempts,
                               coalesce(j.first_failed_at, now()), now()
                        from jobs j where j.id = :jobId and j.tenant_id = :tenant
                        on conflict (job_id) where requeued_at is null do nothing""")
                .param("id", id).param("errorClass", cause.errorClass()).param("message", cause.message())
                .param("rootCause", cause.rootCause()).param("classification", cause.classification().name())
                .param("attempts", cause.attempts()).param("jobId", jobId).param("tenant", tenantId)
                .update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    /** The job an open entry was for. */
    record Closed(UUID jobId, String tenantId) {
    }

    /**
     * Closes an open entry for a requeue, in the caller's transaction. {@code tenant} null: any tenant's.
     *
     * @return its job, or empty if no such entry is open (unknown, another tenant's, deleted, requeued)
     */
    Optional<Closed> close(UUID id, String tenant) {
        return jdbc.sql("""
                        update dead_letter_jobs set requeued_at = now()
                        where id = :id and requeued_at is null and (cast(:tenant as text) is null or tenant_id = :tenant)
                        returning job_id, tenant_id""")
                .param("id", id).param("tenant", tenant)
                .query((rs, row) -> new Closed(rs.getObject(1, UUID.class), rs.getString(2))).optional();
    }

    /** Deletes an open entry; its job stays DEAD_LETTERED. {@code tenant} null: any tenant's. */
    boolean delete(UUID id, String tenant) {
        return jdbc.sql("""
                        delete from dead_letter_jobs
                        where id = :id and requeued_at is null and (cast(:tenant as text) is null or tenant_id = :tenant)""")
                .param("id", id).param("tenant", tenant).update() == 1;
    }

    /** Deletes the entries with these ids, open or closed (retention). */
    int delete(List<UUID> ids) {
        if (ids.isEmpty()) return 0;
        return jdbc.sql("delete from dead_letter_jobs where id = any(cast(? as uuid[]))")
                .param(ids.toArray(UUID[]::new)).update();
    }
}
