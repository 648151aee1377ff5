package dev.quarry.analytics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * The one owner of {@code api_requests}: the API's request tracking appends batches, retention deletes what
 * is past its period, erasure deletes a subject's rows. The analytics endpoints and the daily aggregation
 * only read it.
 */
@Repository
public class PgApiRequests {
    private static final String INSERT = "insert into api_requests (at, tenant_id, subject, method, route, status, "
            + "duration_micros) values (?, ?, ?, ?, ?, ?, ?)";
    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;

    PgApiRequests(JdbcTemplate jdbcTemplate, JdbcClient jdbc) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
    }

    /** One JDBC batch: one round trip for the whole list, in one transaction (all or nothing). */
    public void append(List<TrackedRequest> requests) {
        jdbcTemplate.batchUpdate(INSERT, requests, requests.size(), (statement, request) -> {
            statement.setTimestamp(1, Timestamp.from(request.at()));
            statement.setString(2, request.tenant());
            statement.setString(3, request.subject());
            statement.setString(4, request.method());
            statement.setString(5, request.route());
            statement.setInt(6, request.status());
            statement.setObject(7, (int) Math.min(Integer.MAX_VALUE, request.durationMicros()), Types.INTEGER);
        });
    }

    /** Requests recorded before the cutoff, in one tenant or (null) every tenant: what retention would delete. */
    public long countRecordedBefore(Instant cutoff, String tenant) {
        return jdbc.sql("select count(*) from api_requests where at < ? and (cast(? as text) is null or tenant_id = ?)")
                .params(Timestamp.from(cutoff), tenant, tenant).query(Long.class).single();
    }

    /** Deletes up to {@code limit} of the oldest requests recorded before the cutoff; returns how many. */
    public int deleteRecordedBefore(Instant cutoff, int limit) {
        return jdbc.sql("delete from api_requests where id in (select id from api_requests where at < ? order by at limit ?)")
                .params(Timestamp.from(cutoff), limit).update();
    }

    /** A data subject's requests in a tenant, deleted (erasure). */
    public int eraseSubject(String tenant, String subject) {
        return jdbc.sql("delete from api_requests where tenant_id = ? and subject = ?").params(tenant, subject).update();
    }
}
