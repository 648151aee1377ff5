package dev.quarry.worker.jobs;

import dev.quarry.events.JobEventType;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.Map;
import java.util.UUID;

/**
 * Writes dead letters. One transaction: the {@code dead_letter_jobs} entry (payload and first failure
 * time taken from the job row), the job's move to DEAD_LETTERED with a terminal {@code failed} event, and
 * an ingest job's document marked FAILED. At most one open entry per job (a unique index).
 */
@Repository
public class PgDeadLetterStore {
    public enum Classification { PERMANENT, RETRIES_EXHAUSTED }

    private final JdbcClient jdbc;
    private final PgJobStore jobs;

    PgDeadLetterStore(JdbcClient jdbc, PgJobStore jobs) {
        this.jdbc = jdbc;
        this.jobs = jobs;
    }

    @Transactional
    public void deadLetter(UUID jobId, String tenantId, String errorClass, String message, String rootCause,
                           Classification classification, int attempts) {
        UUID id = UUID.randomUUID();
        int inserted = jdbc.sql("""
                        insert into dead_letter_jobs (id, job_id, tenant_id, job_type, payload, error_class, message,
                            root_cause, classification, attempts, first_failed_at, last_failed_at)
                        select :id, j.id, j.tenant_id, j.type, jsonb_build_object('documentId', j.document_id),
                               :errorClass, :message, :rootCause, :classification, :attempts,
                               coalesce(j.first_failed_at, now()), now()
                        from jobs j where j.id = :jobId and j.tenant_id = :tenant
                        on conflict (job_id) where requeued_at is null do nothing""")
                .param("id", id).param("errorClass", errorClass).param("message", message)
                .param("rootCause", rootCause).param("classification", classification.name())
                .param("attempts", attempts).param("jobId", jobId).param("tenant", tenantId)
                .update();
        if (inserted == 0) return; // already dead-lettered (a repeated decision after a crash)
        jobs.transition(jobId, tenantId, JobStatus.DEAD_LETTERED, JobEventType.FAILED,
                Map.of("classification", classification.name(), "deadLetterId", id.toString(),
                        "errorClass", errorClass, "attempts", attempts), message == null ? errorClass : message);
        jdbc.sql("""
                        update documents d set status = 'FAILED', updated_at = now() from jobs j
                        where j.id = ? and j.type = 'INGEST' and d.id = j.document_id and d.tenant_id = j.tenant_id""")
                .param(jobId).update();
    }
}
