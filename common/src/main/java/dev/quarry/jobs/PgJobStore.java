package dev.quarry.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.events.JobEvent;
import dev.quarry.events.JobEventType;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.events.RedisJobEventBus;
import io.micrometer.tracing.Span;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code jobs} table, read by anyone and written only through {@link JobLifecycle} (status changes and
 * progress) and {@link JobReleaser} (the release column, {@code enqueued_at}). Every status change is checked against
 * {@link JobStatus}'s transition table, appends its {@code job_events} row in the same transaction, and is
 * published on Redis after commit.
 */
@Repository
public class PgJobStore {
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, tenant_id, type, status, document_id, current_step, progress_done, progress_total, attempts,
            error, idempotency_key, trace_parent, created_at, updated_at, started_at, finished_at, priority""";

    private final JdbcClient jdbc;
    private final PgJobEventStore events;
    private final RedisJobEventBus bus;
    private final ObjectMapper json;
    private final JobMeters meters;
    private final JobTraces traces;

    PgJobStore(JdbcClient jdbc, PgJobEventStore events, RedisJobEventBus bus, ObjectMapper json, JobMeters meters,
               JobTraces traces) {
        this.jdbc = jdbc;
        this.traces = traces;
        this.meters = meters;
        this.events = events;
        this.bus = bus;
        this.json = json;
    }

    /** Records a new job, QUEUED, with its {@code queued} event; JobRunr gets it when {@link JobReleaser} releases it. */
    @Transactional
    public Job create(NewJob job) {
        return create(job, null);
    }

    /**
     * {@link #create(NewJob)} for a job that is part of {@code parentJobId} (a reindex's per-document job).
     * The job's {@code enqueue} span ({@link JobTraces#startEnqueue}) is what its runs continue; it lasts until
     * the transaction has completed, so it covers the commit and the hand-over to JobRunr after it.
     */
    @Transactional
    public Job create(NewJob job, UUID parentJobId) {
        Span enqueue = traces.startEnqueue(job.type(), job.id(), job.traceParent());
        endAfterTransaction(enqueue);
        jdbc.sql("""
                        insert into jobs (id, tenant_id, type, status, document_id, idempotency_key, trace_parent,
                            parent_job_id, priority)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(job.id(), job.tenantId(), job.type().name(), JobStatus.QUEUED.name(), job.documentId(),
                        job.idempotencyKey(), traces.traceParentOf(enqueue, job.traceParent()), parentJobId,
                        job.priority())
                .update();
        record(job.id(), job.tenantId(), JobEventType.QUEUED, payload(new JobEventData.Queued(job.type().tag())));
        meters.created(job.type());
        return find(job.tenantId(), job.id()).orElseThrow();
    }

    /** Ends {@code span} after commit and after-commit work (the dispatch), or with an error on a rollback. */
    private static void endAfterTransaction(Span span) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) span.error(new IllegalStateException("the job's transaction rolled back"));
                span.end();
            }
        });
    }

    /** The current status of each of {@code ids} that exists, whatever its tenant. */
    public Map<UUID, JobStatus> statuses(List<UUID> ids) {
        Map<UUID, JobStatus> statuses = new HashMap<>();
        if (ids.isEmpty()) return statuses;
        jdbc.sql("select id, status from jobs where id = any(cast(? as uuid[]))")
                .param(ids.toArray(UUID[]::new))
                .query((rs, row) -> statuses.put(rs.getObject(1, UUID.class), JobStatus.valueOf(rs.getString(2))))
                .list();
        return statuses;
    }

    /**
     * Deletes a document's finished jobs, with their events and dead letters (their foreign keys cascade):
     * an erasure leaves no trace of the subject's documents, not even their ids in a job's history.
     */
    public int deleteFinishedOfDocument(String tenantId, UUID documentId) {
        return jdbc.sql("delete from jobs where tenant_id = ? and document_id = ?"
                        + " and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTERED')")
                .params(tenantId, documentId).update();
    }

    /**
     * Deletes these jobs if they are still finished, with their events (retention). A job with an open dead
     * letter is kept: the dead letter's own period decides when it goes.
     */
    public int deleteFinished(List<UUID> ids) {
        if (ids.isEmpty()) return 0;
        return jdbc.sql("""
                        delete from jobs j where j.id = any(cast(? as uuid[])) and j.finished_at is not null
                          and j.status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTERED')
                          and not exists (select 1 from dead_letter_jobs dl where dl.job_id = j.id and dl.requeued_at is null)""")
                .param(ids.toArray(UUID[]::new)).update();
    }

    /** A document's jobs that have not finished (waiting, running or asked to stop), for its deletion. */
    public List<Job> unfinishedForDocument(String tenantId, UUID documentId) {
        return jdbc.sql("select " + COLUMNS + " from jobs where tenant_id = ? and document_id = ?"
                        + " and status in ('QUEUED', 'RUNNING', 'RETRY_SCHEDULED', 'CANCEL_REQUESTED')")
                .params(tenantId, documentId).query(this::map).list();
    }

    /**
     * At most {@code limit} of a tenant's jobs, newest first (created_at, then id, descending), only those in
     * {@code status} when it is not null, after the one created at {@code afterCreatedAt} with {@code afterId}
     * when those are given; served by the jobs_tenant_created index. The listing of the API and the console.
     */
    public List<Job> newestFirst(String tenantId, JobStatus status, Instant afterCreatedAt, UUID afterId,
                                 int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from jobs where tenant_id = :tenant");
        Map<String, Object> params = new HashMap<>(Map.of("tenant", tenantId, "limit", limit));
        if (status != null) {
            sql.append(" and status = :status");
            params.put("status", status.name());
        }
        if (afterCreatedAt != null) {
            sql.append(" and (created_at, id) < (:afterCreatedAt, :afterId)");
            params.put("afterCreatedAt", Timestamp.from(afterCreatedAt));
            params.put("afterId", afterId);
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    public Optional<Job> find(String tenantId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from jobs where id = ? and tenant_id = ?")
                .params(id, tenantId).query(this::map).optional();
    }

    /**
     * Moves a job by {@code transition} if its current status is one of the transition's sources, and appends
     * the event; joins the caller's transaction. Only {@link JobLifecycle} calls this.
     *
     * @throws IllegalTransitionException if the job is in another status (it stays as it was)
     */
    JobEvent move(UUID id, String tenantId, Transition transition, JobEventData data, String error) {
        if (data.eventType() != transition.event()) {
            throw new IllegalArgumentException(transition + " records " + transition.event() + ", not " + data);
        }
        JobStatus target = transition.target();
        List<String> sources = transition.sources().stream().map(Enum::name).toList();
        // The row is locked and read first, so the update knows where the job came from (and since when it
        // waited): what the job meters need, at no extra round trip.
        Optional<JobMeters.Move> moved = jdbc.sql("""
                        with old as (
                            select id as old_id, status as old_status,
                                   -- A retried job waits from when its retry is due, not from its failure.
                                   case when status = 'RETRY_SCHEDULED' then greatest(updated_at,
                                       (select cast(e.data ->> 'nextRunAt' as timestamptz) from job_events e
                                        where e.job_id = jobs.id and e.type = 'retrying' order by e.id desc limit 1))
                                   else updated_at end as waiting_since
                            from jobs where id = :id and tenant_id = :tenant for update)
                        update jobs set status = :target, updated_at = now(),
                            -- Back to QUEUED is an operator's requeue: a fresh attempt cycle, handed to
                            -- JobRunr again through the outbox (enqueued_at).
                            attempts = case when :start then attempts + 1 when :requeue then 0 else attempts end,
                            enqueued_at = case when :requeue then null else enqueued_at end,
                            first_failed_at = case when :requeue then null
                                                   when cast(:error as text) is not null then coalesce(first_failed_at, now())
                                                   else first_failed_at end,
                            started_at = case when :start then now() else started_at end,
                            finished_at = case when :terminal then now() else null end,
                            error = coalesce(:error, case when :start or :requeue then null else error end)
                        from old
                        where jobs.id = old.old_id and old.old_status in (:sources)
                        returning jobs.type, old.old_status,
                            extract(epoch from clock_timestamp() - old.waiting_since) as waited,
                            extract(epoch from clock_timestamp() - jobs.started_at) as ran""")
                .param("target", target.name())
                .param("start", transition == Transition.START)
                .param("requeue", transition == Transition.REQUEUE)
                .param("terminal", target.isTerminal())
                .param("error", error)
                .param("id", id)
                .param("tenant", tenantId)
                .param("sources", sources)
                .query((rs, row) -> new JobMeters.Move(JobType.valueOf(rs.getString("type")), transition,
                        JobStatus.valueOf(rs.getString("old_status")), data, seconds(rs, "waited"), seconds(rs, "ran")))
                .optional();
        if (moved.isEmpty()) {
            JobStatus current = find(tenantId, id).map(Job::status)
                    .orElseThrow(() -> new IllegalArgumentException("no job " + id));
            throw new IllegalTransitionException(id, current, target);
        }
        meters.moved(moved.get());
        Map<String, Object> payload = payload(data);
        payload.put("status", target.name());
        if (error != null) payload.put("error", error);
        return record(id, tenantId, transition.event(), payload);
    }

    /**
     * Records a run of progress events of one job in the caller's transaction: one multi-row insert into
     * {@code job_events} and one update of the job's current step, whatever their number. The status does
     * not change.
     */
    List<JobEvent> progress(UUID id, String tenantId, List<JobEventData.Progress> progress) {
        if (progress.isEmpty()) return List.of();
        JobEventData.Progress last = progress.get(progress.size() - 1);
        jdbc.sql("""
                        update jobs set current_step = ?, progress_done = ?, progress_total = ?, updated_at = now()
                        where id = ? and tenant_id = ?""")
                .params(last.step(), last.done(), last.total(), id, tenantId).update();
        List<JobEvent> appended = events.appendAll(id, tenantId, JobEventType.PROGRESS,
                progress.stream().map(this::payload).toList());
        appended.forEach(this::publishAfterCommit);
        return appended;
    }

    /** Whether the job's cancellation was requested: a primary-key read, cheap enough to ask between batches. */
    boolean cancelRequested(UUID id) {
        return jdbc.sql("select status = :status from jobs where id = :id")
                .param("status", JobStatus.CANCEL_REQUESTED.name()).param("id", id)
                .query(Boolean.class).optional().orElse(false);
    }

    /** The outbox half: JobRunr now holds the job (released, or never to be run by it). */
    public void markEnqueued(UUID id) {
        jdbc.sql("update jobs set enqueued_at = now() where id = ? and enqueued_at is null").param(id).update();
    }

    /**
     * Marks these jobs released to JobRunr if they are still QUEUED and unreleased, in the caller's transaction
     * (the rows stay locked until it commits, so a cancellation waits for the hand-over and then withdraws it).
     *
     * @return the jobs marked, for the hand-over; a job cancelled meanwhile is not among them
     */
    List<Job> markReleased(List<UUID> ids) {
        if (ids.isEmpty()) return List.of();
        // A microsecond apart in the given order, so released jobs keep their order (queue positions read it).
        return jdbc.sql("""
                        update jobs set enqueued_at = statement_timestamp() + make_interval(secs => released.n / 1e6)
                        from unnest(cast(? as uuid[])) with ordinality as released (job_id, n)
                        where jobs.id = released.job_id and jobs.status = 'QUEUED' and jobs.enqueued_at is null
                        returning\s""" + COLUMNS)
                .param(ids.toArray(UUID[]::new)).query(this::map).stream()
                .sorted(Comparator.comparingInt(job -> ids.indexOf(job.id()))).toList();
    }

    /** Records when each of these released jobs' tenants was last served: ties in the release order go to the others. */
    void recordTurns(List<UUID> released) {
        if (released.isEmpty()) return;
        jdbc.sql("""
                        insert into job_release_turns (tenant_id, last_released_at)
                        select tenant_id, max(enqueued_at) from jobs where id = any(cast(? as uuid[])) group by tenant_id
                        on conflict (tenant_id) do update set last_released_at = excluded.last_released_at""")
                .param(released.toArray(UUID[]::new)).update();
    }

    /** Back to the queue: JobRunr did not take the hand-over, or lost the run before it started. */
    void unmarkReleased(List<UUID> ids) {
        if (ids.isEmpty()) return;
        jdbc.sql("update jobs set enqueued_at = null where id = any(cast(? as uuid[])) and status = 'QUEUED'")
                .param(ids.toArray(UUID[]::new)).update();
    }

    /** Jobs that finished (were cancelled) before their release: nothing for JobRunr, out of the queue's index. */
    int markFinishedUnreleased() {
        return jdbc.sql("update jobs set enqueued_at = now() where enqueued_at is null and status <> 'QUEUED'").update();
    }

    /** Released jobs that have waited more than {@code age} without starting: the sweeper checks JobRunr still has them. */
    List<UUID> releasedNotStarted(Duration age, int limit) {
        return jdbc.sql("select id from jobs where status = 'QUEUED' and enqueued_at < ? order by enqueued_at limit ?")
                .params(Timestamp.from(Instant.now().minus(age)), limit).query(UUID.class).list();
    }

    private JobEvent record(UUID id, String tenantId, JobEventType type, Map<String, Object> data) {
        JobEvent event = events.append(id, tenantId, type, data);
        publishAfterCommit(event);
        return event;
    }

    /** Redis is a doorbell: SSE clients re-read {@code job_events}, so a lost publish delays nothing durable. */
    private void publishAfterCommit(JobEvent event) {
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
    }

    /** The record as the wire shape: its fields, null ones left out, details flattened. */
    private Map<String, Object> payload(JobEventData data) {
        return new LinkedHashMap<>(json.convertValue(data, PAYLOAD));
    }

    private Job map(ResultSet rs, int row) throws SQLException {
        return new Job(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                JobType.valueOf(rs.getString("type")), JobStatus.valueOf(rs.getString("status")),
                rs.getObject("document_id", UUID.class), rs.getString("current_step"),
                rs.getInt("progress_done"), rs.getInt("progress_total"), rs.getInt("attempts"),
                rs.getString("error"), rs.getString("idempotency_key"), rs.getString("trace_parent"),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"), rs.getInt("priority"));
    }

    private static Duration seconds(ResultSet rs, String column) throws SQLException {
        double seconds = rs.getDouble(column);
        return rs.wasNull() ? null : Duration.ofNanos((long) (Math.max(0, seconds) * 1e9));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
