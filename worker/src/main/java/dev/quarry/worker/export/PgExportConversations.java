package dev.quarry.worker.export;

import dev.quarry.exports.ExportScope;
import org.springframework.stereotype.Repository;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Streams a conversation scope's threads, each followed by its messages oldest first, in constant memory: as
 * {@link PgExportDocuments} does, one read-only transaction on a connection of its own holds a server-side
 * cursor, here over threads joined to their messages, fetched a few rows at a time (a message may be
 * megabytes). The threads are always the requester's own.
 */
@Repository
class PgExportConversations {
    static final int FETCH = 16;
    private final DataSource dataSource;

    PgExportConversations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Hands each thread and its messages to {@code writer}; returns how many threads. */
    int stream(String tenant, String owner, ExportScope scope, Exporter.ConversationWriter writer)
            throws IOException, SQLException {
        String which = scope.conversationId() == null ? "c.deleted_at is null" : "c.id = ?";
        String sql = """
                select c.id, c.title, c.collections, c.provider, c.model, c.pinned, c.archived, c.deleted_at,
                       c.created_at, c.updated_at, m.id, m.role, m.content, m.metadata::text, m.job_id, m.created_at
                  from conversations c left join conversation_messages m on m.conversation_id = c.id
                 where c.tenant_id = ? and c.owner = ? and %s
                 order by c.created_at, c.id, m.created_at, m.id""".formatted(which);
        int threads = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(FETCH);
                statement.setString(1, tenant);
                statement.setString(2, owner);
                if (scope.conversationId() != null) statement.setObject(3, scope.conversationId());
                UUID current = null;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        UUID thread = rs.getObject(1, UUID.class);
                        if (!thread.equals(current)) {
                            writer.thread(thread(rs));
                            current = thread;
                            threads++;
                        }
                        if (rs.getObject(11) != null) writer.message(message(rs));
                    }
                }
            } finally {
                connection.rollback(); // read only: nothing to keep, and the cursor's snapshot ends
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        }
        return threads;
    }

    private static ExportedConversation thread(ResultSet rs) throws SQLException {
        Array collections = rs.getArray(3);
        return new ExportedConversation(rs.getObject(1, UUID.class), rs.getString(2),
                collections == null ? List.of() : List.of((String[]) collections.getArray()), rs.getString(4),
                rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), instant(rs.getTimestamp(8)),
                instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)));
    }

    private static ExportedConversation.Message message(ResultSet rs) throws SQLException {
        return new ExportedConversation.Message(rs.getObject(11, UUID.class), rs.getString(12), rs.getString(13),
                rs.getString(14), rs.getObject(15, UUID.class), instant(rs.getTimestamp(16)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
