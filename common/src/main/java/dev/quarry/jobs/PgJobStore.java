package dev.quarry.jobs;

import dev.quarry.events.JobEvent;
import dev.quarry.events.JobEventType;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.events.RedisJobEventBus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code jobs} table. Every status change is checked against {@link JobStatus}'s transition table,
 * appends its {@code job_events} row in the same transaction, and is published on Redis after commit.
 */
@Repository
public class PgJobStore {
    private static final String COLUMNS = """
            id, tenant_id, type, status, document_id, current_step, progress_done, progress_total, attempts,
            error, idempotency_key, trace_parent, created_at, updated_at, started_at, finished_at""";

    private final JdbcClient jdbc;
    private final PgJobEventStore events;
    private final RedisJobEventBus bus;

    public PgJobStore(JdbcClient jdbc, PgJobEventStore events, RedisJobEventBus bus) {
        this.jdbc = jdbc;
        this.events = events;
        this.bus = bus;
    }

    @Transactional
    public Job create(NewJob job) {
        jdbc.sql("""
                        insert into jobs (id, tenant_id, type, status, document_id, idempotency_key, trace_parent)
                        values (?, ?, ?, 'QUEUED', ?, ?, ?)""")
                .params(job.id(), job.tenantId(), job.type().name(), job.documentId(), job.idempotencyKey(),
                        job.traceParent())
                .update();
        record(job.id(), job.tenantId(), JobEventType.QUEUED, Map.of("type", job.type().tag()));
        return find(job.tenantId(), job.id()).orElseThrow();
    }

    public Optional<Job> find(String tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from jobs where id = ? and tenant_id = ?")
                .params(id, tenantId).query(this::map).optional();
    }

    /**
     * Moves a job to {@code target} if the transition table allows it from its current status.
     *
     * @throws IllegalTransitionException if it does not (the job stays as it was)
     */
    @Transactional
    public JobEvent transition(UUID id, String tenantId, JobStatus target, JobEventType event,
                               Map<String, Object> data, String error) {
        List<String> sources = JobStatus.allowedSources(target).stream().map(Enum::name).toList();
        int updated = jdbc.sql("""
                        update jobs set status = :target, updated_at = now(),
                            -- Back to QUEUED is an operator's requeue: a fresh attempt cycle, handed to
                            -- JobRunr again through the outbox (enqueued_at).
                            attempts = case when :target = 'RUNNING' then attempts + 1
                                            when :target = 'QUEUED' then 0 else attempts end,
                            enqueued_at = case when :target = 'QUEUED' then null else enqueued_at end,
                            first_failed_at = case when :target = 'QUEUED' then null
                                                   when cast(:error as text) is not null then coalesce(first_failed_at, now())
                                                   else first_failed_at end,
                            started_at = case when :target = 'RUNNING' then now() else started_at end,
                            finished_at = case when :terminal then now() else null end,
                            error = coalesce(:error, case when :target in ('RUNNING', 'QUEUED') then null else error end)
                        where id = :id and tenant_id = :tenant and status in (:sources)""")
                .param("target", target.name())
                .param("terminal", target.isTerminal())
                .param("error", error)
                .param("id", id)
                .param("tenant", tenantId)
                .param("sources", sources)
                .update();
        if (updated == 0) {
            JobStatus current = find(tenantId, id).map(Job::status)
                    .orElseThrow(() -> new IllegalArgumentException("no job " + id));
            throw new IllegalTransitionException(id, current, target);
        }
        Map<String, Object> payload = new LinkedHashMap<>(data);
        payload.put("status", target.name());
        if (error != null) payload.put("error", error);
        return record(id, tenantId, event, payload);
    }

    /** Records progress within a step; the status does not change. */
    @Transactional
    public JobEvent progress(UUID id, String tenantId, String step, int done, int total) {
        jdbc.sql("""
                        update jobs set current_step = ?, progress_done = ?, progress_total = ?, updated_at = now()
                        where id = ? and tenant_id = ?""")
                .params(step, done, total, id, tenantId).update();
        int percent = total == 0 ? 0 : (int) Math.round(100.0 * done / total);
        return record(id, tenantId, JobEventType.PROGRESS,
                Map.of("step", step, "done", done, "total", total, "percent", percent));
    }

    /** The outbox half: JobRunr now holds the job. */
    public void markEnqueued(UUID id) {
        jdbc.sql("update jobs set enqueued_at = now() where id = ? and enqueued_at is null").param(id).update();
    }

    /** Jobs accepted more than {@code age} ago that never reached JobRunr (the API died in between). */
    public List<Job> notEnqueued(Duration age, int limit) {
        return jdbc.sql("select " + COLUMNS + " from jobs where enqueued_at is null and created_at < ? "
                        + "order by created_at limit ?")
                .params(Timestamp.from(Instant.now().minus(age)), limit).query(this::map).list();
    }

    private JobEvent record(UUID id, String tenantId, JobEventType type, Map<String, Object> data) {
        JobEvent event = events.append(id, tenantId, type, data);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    bus.publish(event);
                }
            });
        } else {
            bus.publish(event);
        }
        return event;
    }

    private Job map(ResultSet rs, int row) throws SQLException {
        return new Job(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                JobType.valueOf(rs.getString("type")), JobStatus.valueOf(rs.getString("status")),
                rs.getObject("document_id", UUID.class), rs.getString("current_step"),
                rs.getInt("progress_done"), rs.getInt("progress_total"), rs.getInt("attempts"),
                rs.getString("error"), rs.getString("idempotency_key"), rs.getString("trace_parent"),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
