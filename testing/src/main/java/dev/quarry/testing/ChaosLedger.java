package dev.quarry.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a chaos run reads back from PostgreSQL, the system of record: Quarry's jobs, events, chunks and dead
 * letters, and JobRunr's own job and server tables. Read-only.
 */
public final class ChaosLedger implements AutoCloseable {
    private final Connection db;

    public ChaosLedger(String url, String user, String password) throws SQLException {
        this.db = DriverManager.getConnection(url, user, password);
    }

    record Start(UUID jobId, String worker, Instant at) {
    }

    record DocumentChunks(String filename, String status, int recorded, int rows, int distinctOrdinals, int maxOrdinal) {
    }

    record JobOutcome(UUID jobId, String status, int succeededEvents, Instant succeededAt, String jobRunrState,
                      int retryingEvents) {
    }

    public Instant now() throws SQLException {
        try (var st = db.createStatement(); ResultSet rs = st.executeQuery("select clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** Jobs not in a terminal status: the lifecycle sets {@code finished_at} exactly when it enters one. */
    public int unfinished(String tenant) throws SQLException {
        return count("select count(*) from jobs where tenant_id = ? and finished_at is null", tenant);
    }

    /** Whether JobRunr's server of this name has announced itself and is running. */
    boolean serverRunning(String name) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(
                "select count(*) from jobrunr_backgroundjobservers where name = ? and running = 1")) {
            st.setString(1, name);
            return single(st) > 0;
        }
    }

    /** Until the worker's JobRunr server has announced itself, i.e. it polls for jobs. */
    public void awaitRunning(WorkerProcess worker) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
        while (!serverRunning(worker.name())) {
            if (!worker.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(worker.name() + " did not start; see " + worker.log());
            }
            Thread.sleep(250); // waiting for an external process
        }
    }

    /** The tenant's RUNNING jobs whose latest attempt started on {@code worker}. */
    List<UUID> runningOn(String tenant, String worker) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("""
                select j.id from jobs j where j.tenant_id = ? and j.status = 'RUNNING'
                  and (select e.data->>'worker' from job_events e where e.job_id = j.id and e.type = 'started'
                       order by e.id desc limit 1) = ?""")) {
            st.setString(1, tenant);
            st.setString(2, worker);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) ids.add(rs.getObject(1, UUID.class));
            }
            return ids;
        }
    }

    /** Every attempt's start, in order. */
    List<Start> starts(String tenant) throws SQLException {
        return events(tenant, "started");
    }

    /** Every hand-back of a job for another attempt ('retrying'), in order; {@code worker} is null. */
    List<Start> retries(String tenant) throws SQLException {
        return events(tenant, "retrying");
    }

    private List<Start> events(String tenant, String type) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("""
                select job_id, data->>'worker', created_at from job_events
                where tenant_id = ? and type = ? order by id""")) {
            st.setString(1, tenant);
            st.setString(2, type);
            List<Start> starts = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    starts.add(new Start(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
            return starts;
        }
    }

    Map<UUID, JobOutcome> outcomes(String tenant) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("""
                select j.id, j.status,
                       (select count(*) from job_events e where e.job_id = j.id and e.type = 'succeeded'),
                       (select min(e.created_at) from job_events e where e.job_id = j.id and e.type = 'succeeded'),
                       (select r.state from jobrunr_jobs r where r.id = j.id::text),
                       (select count(*) from job_events e where e.job_id = j.id and e.type = 'retrying')
                from jobs j where j.tenant_id = ?""")) {
            st.setString(1, tenant);
            Map<UUID, JobOutcome> outcomes = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    var at = rs.getTimestamp(4);
                    outcomes.put(id, new JobOutcome(id, rs.getString(2), rs.getInt(3), at == null ? null : at.toInstant(),
                            rs.getString(5), rs.getInt(6)));
                }
            }
            return outcomes;
        }
    }

    /** Per document (by filename): its status, recorded chunk count, chunk rows and distinct ordinals. */
    Map<String, DocumentChunks> chunks(String tenant) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("""
                select d.filename, d.status, coalesce(d.chunk_count, 0), count(c.id), count(distinct c.ordinal),
                       coalesce(max(c.ordinal), -1)
                from documents d left join chunks c on c.document_id = d.id
                where d.tenant_id = ? group by d.id order by d.filename""")) {
            st.setString(1, tenant);
            Map<String, DocumentChunks> chunks = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    chunks.put(rs.getString(1), new DocumentChunks(rs.getString(1), rs.getString(2), rs.getInt(3),
                            rs.getInt(4), rs.getInt(5), rs.getInt(6)));
                }
            }
            return chunks;
        }
    }

    /** When the tenant's last job finished, and its chunk count: the end and the amount of an ingest run. */
    public Instant lastFinished(String tenant) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select max(finished_at) from jobs where tenant_id = ?")) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    public int chunkCount(String tenant) throws SQLException {
        return count("select count(*) from chunks where tenant_id = ?", tenant);
    }

    int deadLetters(String tenant) throws SQLException {
        return count("select count(*) from dead_letter_jobs where tenant_id = ?", tenant);
    }

    private int count(String sql, String tenant) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            st.setString(1, tenant);
            return single(st);
        }
    }

    private static int single(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
