package dev.quarry.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable, replayable event log ({@code job_events}). {@link #append} joins the caller's transaction,
 * so a status change and its event commit together.
 */
@Repository
public class PgJobEventStore {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public PgJobEventStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public JobEvent append(UUID jobId, String tenantId, JobEventType type, Map<String, Object> data) {
        return jdbc.sql("""
                        insert into job_events (job_id, tenant_id, type, data) values (?, ?, ?, ?::jsonb)
                        returning id, job_id, tenant_id, type, data, created_at""")
                .params(jobId, tenantId, type.wire(), write(data))
                .query(this::map).single();
    }

    /**
     * Appends several events of one job with one multi-row insert, in the caller's transaction; returned in
     * the order given. A small document emits six or seven progress events within milliseconds, and a
     * statement per event was a large part of PostgreSQL's work in the ingest benchmark.
     */
    public List<JobEvent> appendAll(UUID jobId, String tenantId, JobEventType type, List<Map<String, Object>> data) {
        if (data.isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder("insert into job_events (job_id, tenant_id, type, data) values ");
        List<Object> params = new ArrayList<>();
        for (Map<String, Object> payload : data) {
            if (!params.isEmpty()) sql.append(", ");
            sql.append("(?, ?, ?, ?::jsonb)");
            params.add(jobId);
            params.add(tenantId);
            params.add(type.wire());
            params.add(write(payload));
        }
        List<JobEvent> inserted = new ArrayList<>(jdbc.sql(sql.append(" returning id, job_id, tenant_id, type, data, created_at").toString())
                .params(params).query(this::map).list());
        // PostgreSQL inserts VALUES rows in order, so ascending ids pair with the events in order.
        inserted.sort(Comparator.comparingLong(JobEvent::id));
        return inserted;
    }

    /** The job's events with an id greater than {@code afterId}, oldest first. */
    public List<JobEvent> after(UUID jobId, String tenantId, long afterId) {
        return jdbc.sql("""
                        select id, job_id, tenant_id, type, data, created_at from job_events
                        where job_id = ? and tenant_id = ? and id > ? order by id""")
                .params(jobId, tenantId, afterId)
                .query(this::map).list();
    }

    private JobEvent map(ResultSet rs, int row) throws SQLException {
        return new JobEvent(rs.getLong("id"), rs.getObject("job_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("type"), read(rs.getString("data")), rs.getTimestamp("created_at").toInstant());
    }

    private String write(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serializable", e);
        }
    }

    private Map<String, Object> read(String data) {
        try {
            return json.readValue(data, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt event data", e);
        }
    }
}
