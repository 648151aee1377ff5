package dev.quarry.erasure;

import dev.quarry.deletion.DocumentDeleted;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The one owner of {@code erasures}: requests an erasure (an ERASURE job and its row, handed to JobRunr after
 * commit), holds the subject while the job runs, counts what each step deleted and closes the receipt.
 * Erasing a subject Quarry knows nothing about is not an error: the job runs and its receipt counts zero.
 */
@Repository
public class Erasures {
    private final JdbcClient jdbc;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;

    Erasures(JdbcClient jdbc, PgJobStore jobs, JobDispatcher dispatcher) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
    }

    /** Records the request and its job; joins the caller's transaction (with its idempotency record). */
    @Transactional
    public Job request(String tenant, String subject, String idempotencyKey, String traceParent) {
        Job job = jobs.create(new NewJob(UUID.randomUUID(), tenant, JobType.ERASURE, null, idempotencyKey, traceParent));
        jdbc.sql("insert into erasures (job_id, tenant_id, subject, subject_sha256) values (?, ?, ?, ?)")
                .params(job.id(), tenant, subject, sha256(subject)).update();
        dispatcher.dispatchAfterCommit(job.id());
        return job;
    }

    public Optional<Erasure> find(String tenant, UUID jobId) {
        return jdbc.sql("select * from erasures where job_id = ? and tenant_id = ?").params(jobId, tenant)
                .query(Erasures::map).optional();
    }

    /** The subject of an erasure that has not finished; empty once it has. */
    public Optional<String> pendingSubject(UUID jobId) {
        return jdbc.sql("select subject from erasures where job_id = ? and finished_at is null").param(jobId)
                .query(String.class).optional();
    }

    /** Adds one deleted document to the counts; in the transaction of that deletion. */
    public void counted(UUID jobId, DocumentDeleted deleted, int jobsDeleted) {
        jdbc.sql("""
                        update erasures set documents = documents + 1, chunks = chunks + ?, cache_entries = cache_entries + ?,
                            jobs = jobs + ? where job_id = ?""")
                .params(deleted.chunks(), deleted.cacheEntries(), jobsDeleted, jobId).update();
    }

    /** Closes the receipt and forgets the subject itself; the hash stays. */
    public void finish(UUID jobId, int auditActors) {
        jdbc.sql("update erasures set subject = null, audit_actors = ?, finished_at = now() where job_id = ?")
                .params(auditActors, jobId).update();
    }

    static String sha256(String subject) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Erasure map(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Erasure(rs.getObject("job_id", UUID.class), rs.getString("tenant_id"), rs.getString("subject_sha256"),
                rs.getInt("documents"), rs.getInt("chunks"), rs.getInt("cache_entries"), rs.getInt("jobs"),
                rs.getInt("audit_actors"), rs.getTimestamp("requested_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
