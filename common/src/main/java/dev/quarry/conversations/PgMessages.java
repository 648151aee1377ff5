package dev.quarry.conversations;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one owner of {@code conversation_messages}. Content is stored and read whole, whatever its size; only
 * the search columns look at a prefix of it (see V26). Reads for a user are scoped by tenant and owner.
 */
@Repository
public class PgMessages {
    private static final String COLUMNS = "id, conversation_id, role, content, metadata::text as metadata, job_id, "
            + "created_at";
    private static final RowMapper<Message> ROW = PgMessages::map;
    /** Trigram search reads this prefix of each message; the V26 index is on the same expression. */
    private static final String TRIGRAM_TEXT = "left(m.content, 10000)";
    private final JdbcClient jdbc;

    PgMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Appends a message to the owner's thread.
     *
     * @param metadata a JSON object, as text
     * @param jobId    the CHAT job the message starts or answers, or null
     */
    public Message append(Conversation thread, MessageRole role, String content, String metadata, UUID jobId) {
        return jdbc.sql("insert into conversation_messages (id, conversation_id, tenant_id, owner, role, content, "
                        + "metadata, job_id) values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?) returning " + COLUMNS)
                .params(UUID.randomUUID(), thread.id(), thread.tenantId(), thread.owner(), role.wire(), content,
                        metadata == null ? "{}" : metadata, jobId)
                .query(ROW).single();
    }

    /**
     * The answer of a CHAT job, stored once: a retry of a job whose answer was stored before it crashed
     * finds it instead of writing a second one.
     */
    public Message answer(Conversation thread, UUID jobId, String content, String metadata) {
        jdbc.sql("""
                        insert into conversation_messages (id, conversation_id, tenant_id, owner, role, content, metadata,
                            job_id) values (?, ?, ?, ?, 'assistant', ?, cast(? as jsonb), ?)
                        on conflict (job_id, role) where job_id is not null do nothing""")
                .params(UUID.randomUUID(), thread.id(), thread.tenantId(), thread.owner(), content, metadata, jobId)
                .update();
        return ofJob(jobId, MessageRole.ASSISTANT).orElseThrow();
    }

    /** The user message a CHAT job answers, or the answer it stored. */
    public Optional<Message> ofJob(UUID jobId, MessageRole role) {
        return jdbc.sql("select " + COLUMNS + " from conversation_messages where job_id = ? and role = ?")
                .params(jobId, role.wire()).query(ROW).optional();
    }

    public Optional<Message> find(String tenant, String owner, UUID conversationId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from conversation_messages where id = ? and conversation_id = ? "
                        + "and tenant_id = ? and owner = ?")
                .params(id, conversationId, tenant, owner).query(ROW).optional();
    }

    /** One page of a thread, oldest first, after the keyset of the previous page's last message. */
    public List<Message> page(UUID conversationId, Instant afterCreatedAt, UUID afterId, int limit) {
        String sql = "select " + COLUMNS + " from conversation_messages where conversation_id = :thread"
                + (afterId == null ? "" : " and (created_at, id) > (:createdAt, :id)")
                + " order by created_at, id limit :limit";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("thread", conversationId).param("limit", limit);
        if (afterId != null) {
            statement = statement.param("createdAt", Timestamp.from(afterCreatedAt)).param("id", afterId);
        }
        return statement.query(ROW).list();
    }

    /**
     * The thread's messages before {@code before} (all of them when null), oldest first, as many of the newest
     * as fit in {@code maxChars}; a message that does not fit whole ends the history (the prompt never holds
     * half a turn). Tool messages are left out: they answer calls this prompt does not make.
     */
    public List<Message> history(UUID conversationId, Message before, long maxChars) {
        // Lengths first, so that a 5 MB message far back in the thread is never read for nothing.
        JdbcClient.StatementSpec lengths = jdbc.sql("select id, length(content) as chars from conversation_messages "
                        + "where conversation_id = :thread and role in ('user', 'assistant', 'system')"
                        + (before == null ? "" : " and (created_at, id) < (:createdAt, :id)")
                        + " order by created_at desc, id desc limit 200")
                .param("thread", conversationId);
        if (before != null) {
            lengths = lengths.param("createdAt", Timestamp.from(before.createdAt())).param("id", before.id());
        }
        List<UUID> ids = new ArrayList<>();
        long used = 0;
        for (Map<String, Object> candidate : lengths.query().listOfRows()) {
            used += ((Number) candidate.get("chars")).longValue();
            if (used > maxChars) break;
            ids.add((UUID) candidate.get("id"));
        }
        if (ids.isEmpty()) return List.of();
        return jdbc.sql("select " + COLUMNS + " from conversation_messages where id = any(cast(? as uuid[])) "
                        + "order by created_at, id")
                .param(ids.stream().map(UUID::toString).toArray(String[]::new)).query(ROW).list();
    }

    /** A message found by the history search, with the part that matched (HTML: escaped, matches in {@code <b>}). */
    public record Found(UUID messageId, UUID conversationId, String conversationTitle, String role,
                        String snippet, double score, Instant createdAt) {
    }

    /**
     * Full-text search (English stemming, web-search syntax) over the owner's messages in threads not in the
     * trash, best first; the snippet marks the matched words with {@code <b>}.
     */
    public List<Found> fullText(String tenant, String owner, String query, int limit) {
        return jdbc.sql("""
                        select m.id, m.conversation_id, c.title, m.role, m.created_at,
                               ts_rank_cd(m.search_vector, q) as score,
                               ts_headline('english', left(m.content, 100000), q,
                                           'MaxFragments=2, MaxWords=30, MinWords=8, StartSel=' || chr(1) || ', StopSel=' || chr(2)) as snippet
                        from conversation_messages m join conversations c on c.id = m.conversation_id,
                             websearch_to_tsquery('english', :query) q
                        where m.tenant_id = :tenant and m.owner = :owner and c.deleted_at is null
                          and m.search_vector @@ q
                        order by score desc, m.created_at desc limit :limit""")
                .param("query", query).param("tenant", tenant).param("owner", owner).param("limit", limit)
                .query(PgMessages::found).list();
    }

    /**
     * Trigram search: finds messages holding a word close to the query's (a typo, a different spelling), best
     * word similarity first. Reads the first 10,000 characters of each message.
     */
    public List<Found> trigram(String tenant, String owner, String query, int limit) {
        return jdbc.sql("""
                        select m.id, m.conversation_id, c.title, m.role, m.created_at,
                               word_similarity(:query, %1$s) as score, left(m.content, 300) as snippet
                        from conversation_messages m join conversations c on c.id = m.conversation_id
                        where m.tenant_id = :tenant and m.owner = :owner and c.deleted_at is null
                          and :query <%% %1$s
                        order by score desc, m.created_at desc limit :limit""".formatted(TRIGRAM_TEXT))
                .param("query", query).param("tenant", tenant).param("owner", owner).param("limit", limit)
                .query(PgMessages::found).list();
    }

    private static Found found(ResultSet rs, int row) throws SQLException {
        return new Found(rs.getObject("id", UUID.class), rs.getObject("conversation_id", UUID.class),
                rs.getString("title"), rs.getString("role"), html(rs.getString("snippet")),
                rs.getDouble("score"), rs.getTimestamp("created_at").toInstant());
    }

    /** Escapes the snippet, then turns ts_headline's markers (control characters, see fullText) into bold. */
    private static String html(String snippet) {
        String escaped = snippet.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        return escaped.replace("\u0001", "<b>").replace("\u0002", "</b>");
    }

    private static Message map(ResultSet rs, int row) throws SQLException {
        return new Message(rs.getObject("id", UUID.class), rs.getObject("conversation_id", UUID.class),
                MessageRole.parse(rs.getString("role")).orElseThrow(), rs.getString("content"),
                rs.getString("metadata"), rs.getObject("job_id", UUID.class), rs.getTimestamp("created_at").toInstant());
    }
}
