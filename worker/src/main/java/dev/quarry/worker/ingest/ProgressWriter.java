package dev.quarry.worker.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.events.JobEvent;
import dev.quarry.events.JobEventType;
import dev.quarry.events.RedisJobEventBus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a run of progress events of one job inside the caller's transaction: one multi-row insert into
 * {@code job_events} and one update of the job's current step, whatever the number of events; each event
 * is published on Redis after commit. Rows and payloads are exactly what {@code PgJobStore.progress}
 * writes (step, done, total, percent), plus optional details such as the scrubber's counts.
 * <p>
 * Why not {@code PgJobStore.progress}: it costs two statements per event and has no room for details. A
 * small document emits six or seven events within milliseconds; at 1,400 documents that was a large part
 * of PostgreSQL's work in the ingest benchmark. A batched variant belongs in {@code PgJobStore}; until it
 * is there, it lives here.
 */
@Component
class ProgressWriter {

    /** One progress event to record. */
    record Progress(String step, int done, int total, Map<String, Object> details) {
        Map<String, Object> data() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("step", step);
            data.put("done", done);
            data.put("total", total);
            data.put("percent", total == 0 ? 0 : (int) Math.round(100.0 * done / total));
            data.putAll(details);
            return data;
        }
    }

    private final JdbcClient jdbc;
    private final RedisJobEventBus bus;
    private final ObjectMapper json;

    ProgressWriter(JdbcClient jdbc, RedisJobEventBus bus, ObjectMapper json) {
        this.jdbc = jdbc;
        this.bus = bus;
        this.json = json;
    }

    /** Must run in a transaction; events become visible, and are published, when it commits. */
    void write(UUID jobId, String tenantId, List<Progress> events) {
        if (events.isEmpty()) return;
        StringBuilder sql = new StringBuilder("insert into job_events (job_id, tenant_id, type, data) values ");
        List<Object> params = new ArrayList<>();
        List<Map<String, Object>> payloads = new ArrayList<>();
        for (Progress p : events) {
            if (!params.isEmpty()) sql.append(", ");
            sql.append("(?, ?, ?, ?::jsonb)");
            Map<String, Object> data = p.data();
            payloads.add(data);
            params.add(jobId);
            params.add(tenantId);
            params.add(JobEventType.PROGRESS.wire());
            params.add(write(data));
        }
        // PostgreSQL inserts VALUES rows in order, so ascending ids pair with the events in order.
        List<Inserted> inserted = new ArrayList<>(jdbc.sql(sql.append(" returning id, created_at").toString())
                .params(params)
                .query((rs, row) -> new Inserted(rs.getLong(1), rs.getTimestamp(2).toInstant())).list());
        inserted.sort((a, b) -> Long.compare(a.id(), b.id()));
        Progress last = events.get(events.size() - 1);
        jdbc.sql("""
                        update jobs set current_step = ?, progress_done = ?, progress_total = ?, updated_at = now()
                        where id = ? and tenant_id = ?""")
                .params(last.step(), last.done(), last.total(), jobId, tenantId).update();
        List<JobEvent> published = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            published.add(new JobEvent(inserted.get(i).id(), jobId, tenantId, JobEventType.PROGRESS.wire(),
                    payloads.get(i), inserted.get(i).createdAt()));
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                published.forEach(bus::publish);
            }
        });
    }

    private record Inserted(long id, Instant createdAt) {
    }

    private String write(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("progress details are not serializable", e);
        }
    }
}
