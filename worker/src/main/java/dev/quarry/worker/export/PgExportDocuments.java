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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams the documents of a scope, in id order, with their texts and chunks, in constant memory: one
 * read-only transaction on a connection of its own holds a server-side cursor over the documents (the
 * driver fetches {@link #FETCH} rows at a time, fewer with the original bytes), and every {@link #BATCH}
 * documents (or {@link #BATCH_BYTES}) one query brings all their chunks. No per-document round trip, and no
 * more than {@link #QUEUED} + 1 batches in memory. The connection is its own so that the export's file parts and progress events commit as they go.
 */
@Repository
class PgExportDocuments {
    static final int FETCH = 512;
    static final int BATCH = 256;
    /** Original files are up to 50 MB each: fetch them a few at a time. */
    static final int CONTENT_FETCH = 8;
    /** A batch also ends at this many bytes of texts and originals, so a few large originals never pile up. */
    static final long BATCH_BYTES = 16L << 20;
    /** Batches read ahead of the writer: with the one being written, at most three in memory. */
    static final int QUEUED = 2;
    private static final Object END = new Object();
    private final DataSource dataSource;
    private final PgEmbeddingVersions versions;

    PgExportDocuments(DataSource dataSource, PgEmbeddingVersions versions) {
        this.dataSource = dataSource;
        this.versions = versions;
    }

    interface Sink {
        void accept(ExportedDocument document) throws IOException;
    }

    /**
     * Hands each document of {@code scope} to {@code sink}, on the caller's thread; returns how many. The rows
     * are read on a thread of their own, up to {@link #QUEUED} batches ahead, so that reading (PostgreSQL and
     * the driver's decoding) and writing the file (the sink) overlap: on two cores that is most of an
     * export's time. A failure on either side stops both, and the reading connection is closed before this
     * returns.
     */
    int stream(String tenant, ExportScope scope, boolean withContent, boolean withVectors, Sink sink)
            throws IOException, SQLException {
        BlockingQueue<Object> batches = new ArrayBlockingQueue<>(QUEUED);
        AtomicBoolean stopped = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            Object last = END;
            try {
                read(tenant, scope, withContent, withVectors, batch -> handOver(batches, stopped, batch));
            } catch (Exception | Error e) {
                last = e;
            }
            try {
                handOver(batches, stopped, last);
            } catch (ReadingStopped e) {
                // the export stopped taking rows first: nobody waits for the end
            }
        }, "export-reader");
        reader.setDaemon(true);
        reader.start();
        int count = 0;
        try {
            while (true) {
                Object next = batches.take();
                if (next == END) return count;
                if (next instanceof SQLException e) throw e;
                if (next instanceof IOException e) throw e;
                if (next instanceof RuntimeException e) throw e;
                if (next instanceof Throwable e) throw new IllegalStateException("reading the export's rows failed", e);
                for (ExportedDocument d : castBatch(next)) {
                    sink.accept(d);
                    count++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the export's rows", e);
        } finally {
            stopped.set(true);
            batches.clear(); // frees a reader blocked on a full queue
            joinQuietly(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<ExportedDocument> castBatch(Object batch) {
        return (List<ExportedDocument>) batch;
    }

    /** Puts a batch (or the end, or a failure) in the queue, waiting for room unless the export stopped. */
    private static void handOver(BlockingQueue<Object> batches, AtomicBoolean stopped, Object item) {
        try {
            while (!stopped.get()) {
                if (batches.offer(item, 100, TimeUnit.MILLISECONDS)) return;
            }
            throw new ReadingStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadingStopped();
        }
    }

    /** Ends the reader when the export stopped taking batches (cancelled or failed). */
    private static final class ReadingStopped extends RuntimeException {
        ReadingStopped() {
            super("the export stopped taking rows", null, false, false);
        }
    }

    private static void joinQuietly(Thread reader) {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface BatchSink {
        void accept(List<ExportedDocument> batch);
    }

    private void read(String tenant, ExportScope scope, boolean withContent, boolean withVectors, BatchSink out)
            throws SQLException {
        String version = versions.active(tenant).tag();
        ExportScope.Filter filter = scope.filter(tenant);
        String sql = """
                select d.id, d.title, d.collection, d.source, d.tags, d.reliability, d.media_type, d.filename,
                       d.size_bytes, d.content_sha256, d.status, d.created_at, d.uploaded_by, t.text%s
                  from documents d left join document_texts t on t.document_id = d.id%s
                 where %s order by d.id""".formatted(withContent ? ", c.bytes" : "",
                withContent ? " left join document_contents c on c.document_id = d.id" : "", filter.where());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(withContent ? CONTENT_FETCH : FETCH);
                bind(connection, statement, filter.params());
                List<ExportedDocument> batch = new ArrayList<>(BATCH);
                long bytes = 0;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        ExportedDocument d = document(rs, withContent);
                        batch.add(d);
                        bytes += d.textOrEmpty().length() * 2L + (d.content() == null ? 0 : d.content().length);
                        if (batch.size() == BATCH || bytes >= BATCH_BYTES) {
                            out.accept(withChunks(connection, batch, version, withVectors));
                            batch = new ArrayList<>(BATCH);
                            bytes = 0;
                        }
                    }
                }
                if (!batch.isEmpty()) out.accept(withChunks(connection, batch, version, withVectors));
            } finally {
                connection.rollback(); // read only: nothing to keep, and the cursor's snapshot ends
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        }
    }

    private List<ExportedDocument> withChunks(Connection connection, List<ExportedDocument> batch, String version,
                                              boolean withVectors) throws SQLException {
        Map<UUID, List<ExportedChunk>> chunks = chunks(connection, batch, version, withVectors);
        List<ExportedDocument> complete = new ArrayList<>(batch.size());
        for (ExportedDocument d : batch) {
            complete.add(new ExportedDocument(d.id(), d.title(), d.collection(), d.source(), d.tags(), d.reliability(),
                    d.mediaType(), d.filename(), d.sizeBytes(), d.contentSha256(), d.status(), d.createdAt(),
                    d.uploadedBy(), d.text(), chunks.getOrDefault(d.id(), List.of()), d.content()));
        }
        return complete;
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
