package dev.quarry.worker.export;

import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.exports.ExportScope;
import dev.quarry.text.SectionMarks;
import dev.quarry.worker.export.ExportedDocument.ExportedChunk;
import org.springframework.stereotype.Repository;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Streams the documents of a scope, in id order, with their texts and chunks, in constant memory: one
 * read-only transaction on a connection of its own holds a server-side cursor over the documents (the
 * driver fetches {@link #FETCH} rows at a time, fewer with the original bytes), and every {@link #BATCH}
 * documents one query brings all their chunks. No per-document round trip, and no more than a batch in
 * memory. The connection is its own so that the export's file parts and progress events commit as they go.
 */
@Repository
class PgExportDocuments {
    static final int FETCH = 512;
    static final int BATCH = 256;
    /** Original files are up to 50 MB each: fetch them a few at a time. */
    static final int CONTENT_FETCH = 8;
    private final DataSource dataSource;
    private final PgEmbeddingVersions versions;

    PgExportDocuments(DataSource dataSource, PgEmbeddingVersions versions) {
        this.dataSource = dataSource;
        this.versions = versions;
    }

    interface Sink {
        void accept(ExportedDocument document) throws IOException;
    }

    /** Hands each document of {@code scope} to {@code sink}; returns how many. */
    int stream(String tenant, ExportScope scope, boolean withContent, boolean withVectors, Sink sink)
            throws IOException, SQLException {
        String version = versions.active(tenant).tag();
        ExportScope.Filter filter = scope.filter(tenant);
        String sql = """
                select d.id, d.title, d.collection, d.source, d.tags, d.reliability, d.media_type, d.filename,
                       d.size_bytes, d.content_sha256, d.status, d.created_at, d.uploaded_by, t.text%s
                  from documents d left join document_texts t on t.document_id = d.id%s
                 where %s order by d.id""".formatted(withContent ? ", c.bytes" : "",
                withContent ? " left join document_contents c on c.document_id = d.id" : "", filter.where());
        int count = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(withContent ? CONTENT_FETCH : FETCH);
                bind(connection, statement, filter.params());
                List<ExportedDocument> batch = new ArrayList<>(BATCH);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        batch.add(document(rs, withContent));
                        if (batch.size() == BATCH) count += emit(connection, batch, version, withVectors, sink);
                    }
                }
                count += emit(connection, batch, version, withVectors, sink);
            } finally {
                connection.rollback(); // read only: nothing to keep, and the cursor's snapshot ends
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        }
        return count;
    }

    private int emit(Connection connection, List<ExportedDocument> batch, String version, boolean withVectors,
                     Sink sink) throws SQLException, IOException {
        if (batch.isEmpty()) return 0;
        Map<UUID, List<ExportedChunk>> chunks = chunks(connection, batch, version, withVectors);
        for (ExportedDocument d : batch) {
            sink.accept(new ExportedDocument(d.id(), d.title(), d.collection(), d.source(), d.tags(), d.reliability(),
                    d.mediaType(), d.filename(), d.sizeBytes(), d.contentSha256(), d.status(), d.createdAt(),
                    d.uploadedBy(), d.text(), chunks.getOrDefault(d.id(), List.of()), d.content()));
        }
        int emitted = batch.size();
        batch.clear();
        return emitted;
    }

    private Map<UUID, List<ExportedChunk>> chunks(Connection connection, List<ExportedDocument> batch, String version,
                                                  boolean withVectors) throws SQLException {
        Map<UUID, List<ExportedChunk>> chunks = new HashMap<>();
        String sql = "select document_id, ordinal, text, token_count, embedding_version"
                + (withVectors ? ", embedding::text" : "")
                + " from chunks where document_id = any(?) and embedding_version = ? order by document_id, ordinal";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(FETCH * 4);
            statement.setArray(1, connection.createArrayOf("uuid", batch.stream().map(ExportedDocument::id).toArray()));
            statement.setString(2, version);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    chunks.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(new ExportedChunk(
                            rs.getInt(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            withVectors ? rs.getString(6) : null));
                }
            }
        }
        return chunks;
    }

    private static ExportedDocument document(ResultSet rs, boolean withContent) throws SQLException {
        Array tags = rs.getArray("tags");
        return new ExportedDocument(rs.getObject("id", UUID.class), rs.getString("title"), rs.getString("collection"),
                rs.getString("source"), tags == null ? List.of() : List.of((String[]) tags.getArray()),
                rs.getString("reliability"), rs.getString("media_type"), rs.getString("filename"),
                rs.getLong("size_bytes"), rs.getString("content_sha256"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("uploaded_by"), SectionMarks.strip(rs.getString("text")),
                List.of(), withContent ? rs.getBytes("bytes") : null);
    }

    private static void bind(Connection connection, PreparedStatement statement, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object param = params.get(i);
            if (param instanceof UUID[] ids) {
                statement.setArray(i + 1, connection.createArrayOf("uuid", ids));
            } else {
                statement.setObject(i + 1, param);
            }
        }
    }
}
