package dev.quarry.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.web.PageCursor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the open entries of {@code dead_letter_jobs} for the admin API (requeued ones stay as history and are
 * not listed); every read takes the caller's tenant (a filter's tenant, or a {@link TenantScope}), null for all.
 * Writes go through {@code dev.quarry.jobs.DeadLetters}, the table's owner.
 */
@Repository
class PgDeadLetters {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, job_id, tenant_id, job_type, payload, error_class, message, root_cause, classification,
            attempts, first_failed_at, last_failed_at, created_at""";
    private static final String FILTER = """
             requeued_at is null
             and (cast(:type as text) is null or job_type = :type)
             and (cast(:tenant as text) is null or tenant_id = :tenant)
             and (cast(:errorClass as text) is null or error_class = :errorClass)""";
    private static final String SCOPE = " and (cast(:scope as text) is null or tenant_id = :scope)";
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    PgDeadLetters(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Keyset pagination on (created_at, id) descending, served by the dead_letter_jobs_page index. */
    DeadLetterPage page(DeadLetterFilter filter, PageCursor after, int limit) {
        List<DeadLetter> rows = jdbc.sql("select " + COLUMNS + " from dead_letter_jobs where " + FILTER + """
                         and (cast(:afterAt as timestamptz) is null or (created_at, id) < (:afterAt, :afterId))
                        order by created_at desc, id desc limit :limit""")
                .param("type", filter.type()).param("tenant", filter.tenant()).param("errorClass", filter.errorClass())
                .param("afterAt", after == null ? null : Timestamp.from(after.createdAt()))
                .param("afterId", after == null ? null : after.id())
                .param("limit", limit + 1)
                .query(this::map).list();
        if (rows.size() <= limit) return new DeadLetterPage(rows, null);
        DeadLetter last = rows.get(limit - 1);
        return new DeadLetterPage(List.copyOf(rows.subList(0, limit)), new PageCursor(last.createdAt(), last.id()).encode());
    }

    Optional<DeadLetter> find(UUID id, TenantScope scope) {
        return jdbc.sql("select " + COLUMNS + " from dead_letter_jobs where id = :id and requeued_at is null" + SCOPE)
                .param("id", id).param("scope", scope.tenant()).query(this::map).optional();
    }

    List<UUID> openIds(DeadLetterFilter filter, int limit) {
        return jdbc.sql("select id from dead_letter_jobs where " + FILTER + " order by created_at, id limit :limit")
                .param("type", filter.type()).param("tenant", filter.tenant()).param("errorClass", filter.errorClass())
                .param("limit", limit)
                .query(UUID.class).list();
    }

    private DeadLetter map(ResultSet rs, int row) throws SQLException {
        return new DeadLetter(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class),
                rs.getString("tenant_id"), rs.getString("job_type"), read(rs.getString("payload")),
                rs.getString("error_class"), rs.getString("message"), rs.getString("root_cause"),
                rs.getString("classification"), rs.getInt("attempts"),
                rs.getTimestamp("first_failed_at").toInstant(), rs.getTimestamp("last_failed_at").toInstant(),
                rs.getTimestamp("created_at").toInstant());
    }

    private Map<String, Object> read(String payload) {
        try {
            return json.readValue(payload, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt dead-letter payload", e);
        }
    }
}
