package dev.quarry.conversations;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one owner of {@code conversations}. Every read and write is scoped by tenant and owner (the token's
 * {@code sub}): a thread of another user is simply not found, which the API answers with 404.
 */
@Repository
public class PgConversations {
    private static final String COLUMNS = "id, tenant_id, owner, title, collections, provider, model, pinned, "
            + "archived, deleted_at, created_at, updated_at";
    private static final RowMapper<Conversation> ROW = PgConversations::map;
    private final JdbcClient jdbc;

    PgConversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Which threads a listing shows: the active ones (default), the archived ones, or the trash. */
    public enum View {
        ACTIVE("deleted_at is null and not archived"),
        ARCHIVED("deleted_at is null and archived"),
        DELETED("deleted_at is not null");

        private final String condition;

        View(String condition) {
            this.condition = condition;
        }
    }

    /**
     * A thread's settings that a create or an update may give; a null field is left as it is. Giving a
     * provider or a model switches both (a blank one clears it: the tenant's default, the provider's default).
     */
    public record Settings(String title, List<String> collections, String provider, String model, Boolean pinned,
                           Boolean archived) {
    }

    public Conversation create(String tenant, String owner, Settings settings) {
        return jdbc.sql("insert into conversations (id, tenant_id, owner, title, collections, provider, model, pinned, "
                        + "archived) values (?, ?, ?, ?, cast(? as text[]), nullif(?, ''), nullif(?, ''), ?, ?) returning " + COLUMNS)
                .params(UUID.randomUUID(), tenant, owner, settings.title(), array(settings.collections()),
                        settings.provider(), settings.model(), Boolean.TRUE.equals(settings.pinned()),
                        Boolean.TRUE.equals(settings.archived()))
                .query(ROW).single();
    }

    /** The thread, also from the trash; empty when it is not the owner's. */
    public Optional<Conversation> find(String tenant, String owner, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from conversations where id = ? and tenant_id = ? and owner = ?")
                .params(id, tenant, owner).query(ROW).optional();
    }

    /** For a job: the thread by id alone (the job's row already carries the tenant). */
    public Optional<Conversation> find(String tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from conversations where id = ? and tenant_id = ?")
                .params(id, tenant).query(ROW).optional();
    }

    /** Applies the non-null settings; empty when the thread is not the owner's or is in the trash. */
    public Optional<Conversation> update(String tenant, String owner, UUID id, Settings settings) {
        return jdbc.sql("""
                        update conversations set title = coalesce(:title, title),
                            collections = coalesce(cast(:collections as text[]), collections),
                            provider = case when :setModel then nullif(:provider, '') else provider end,
                            model = case when :setModel then nullif(:model, '') else model end,
                            pinned = coalesce(:pinned, pinned), archived = coalesce(:archived, archived),
                            updated_at = now()
                        where id = :id and tenant_id = :tenant and owner = :owner and deleted_at is null
                        returning """ + " " + COLUMNS)
                .param("title", settings.title())
                .param("collections", settings.collections() == null ? null : array(settings.collections()))
                .param("setModel", settings.provider() != null || settings.model() != null)
                .param("provider", settings.provider()).param("model", settings.model())
                .param("pinned", settings.pinned()).param("archived", settings.archived())
                .param("id", id).param("tenant", tenant).param("owner", owner)
                .query(ROW).optional();
    }

    /** Moves the thread to the trash (or takes it out): its messages stay until it is purged. */
    public Optional<Conversation> trash(String tenant, String owner, UUID id, boolean deleted) {
        return jdbc.sql("update conversations set deleted_at = case when ? then coalesce(deleted_at, now()) end, "
                        + "updated_at = now() where id = ? and tenant_id = ? and owner = ? returning " + COLUMNS)
                .params(deleted, id, tenant, owner).query(ROW).optional();
    }

    /** What an erasure removed: the owner's threads (their messages went with them) and the CHAT jobs they named. */
    public record Erased(int threads, List<UUID> chatJobs) {
    }

    /**
     * GDPR erasure: deletes every thread of {@code owner}, with its messages. The CHAT jobs the messages named
     * are returned for their owner to delete: their events hold the answers.
     */
    public Erased eraseOwner(String tenant, String owner) {
        List<UUID> chatJobs = jdbc.sql("select distinct job_id from conversation_messages where tenant_id = ? "
                        + "and owner = ? and job_id is not null")
                .params(tenant, owner).query(UUID.class).list();
        int threads = jdbc.sql("delete from conversations where tenant_id = ? and owner = ?").params(tenant, owner).update();
        return new Erased(threads, chatJobs);
    }

    /** Marks a thread as changed (a new message), which is what a client sorts "recent" by. */
    public void touch(UUID id) {
        jdbc.sql("update conversations set updated_at = now() where id = ?").param(id).update();
    }

    /**
     * One page, newest first, after the keyset {@code (afterCreatedAt, afterId)} of the previous page's last
     * thread (both null for the first page).
     *
     * @param title when not null, only threads whose title contains it, ignoring case (trigram-indexed)
     */
    public List<Conversation> page(String tenant, String owner, View view, String title, Instant afterCreatedAt,
                                   UUID afterId, int limit) {
        String sql = "select " + COLUMNS + " from conversations where tenant_id = :tenant and owner = :owner and "
                + view.condition
                + (title == null ? "" : " and title ilike :title escape '\\'")
                + (afterId == null ? "" : " and (created_at, id) < (:createdAt, :id)")
                + " order by created_at desc, id desc limit :limit";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("tenant", tenant).param("owner", owner)
                .param("limit", limit);
        if (title != null) statement = statement.param("title", "%" + likeEscaped(title) + "%");
        if (afterId != null) {
            statement = statement.param("createdAt", Timestamp.from(afterCreatedAt)).param("id", afterId);
        }
        return statement.query(ROW).list();
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String[] array(List<String> values) {
        return values == null ? new String[0] : values.toArray(String[]::new);
    }

    private static Conversation map(ResultSet rs, int row) throws SQLException {
        Array collections = rs.getArray("collections");
        Timestamp deleted = rs.getTimestamp("deleted_at");
        return new Conversation(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("owner"),
                rs.getString("title"), Arrays.asList((String[]) collections.getArray()), rs.getString("provider"),
                rs.getString("model"), rs.getBoolean("pinned"), rs.getBoolean("archived"),
                deleted == null ? null : deleted.toInstant(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
