package dev.quarry.worker.reindex;

import com.pgvector.PGvector;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.usage.EmbeddingUsageLedger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes one document's current chunks in another embedding version: the same texts, ordinals and token
 * counts, new vectors, and the ingest's time stamp (which is what makes them count as current, see
 * {@code PgEmbeddingVersions}). Optimistic: the texts are read and embedded without a lock; the write then
 * locks the document row (ingest's replace locks it too) and checks that no newer ingest landed meanwhile,
 * else it reads again. The document's chunks of the target version are replaced as a whole, so a re-run is
 * harmless.
 */
@Component
class DocumentReembedding {
    private static final int ATTEMPTS = 3;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final EmbeddingCatalog catalog;
    private final ReindexProperties properties;
    private final EmbeddingUsageLedger usage;

    DocumentReembedding(JdbcTemplate jdbc, TransactionTemplate tx, EmbeddingCatalog catalog,
                        ReindexProperties properties, EmbeddingUsageLedger usage) {
        this.usage = usage;
        this.jdbc = jdbc;
        this.tx = tx;
        this.catalog = catalog;
        this.properties = properties;
    }

    private record SourceChunk(int ordinal, String text, int tokenCount) {
    }

    private record Source(OffsetDateTime stamp, String version, List<SourceChunk> chunks) {
    }

    /** @return the chunks written (0 if the document is gone or the target is already current) */
    int reembed(String tenant, UUID documentId, EmbeddingVersion target) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Source source = read(tenant, documentId, target);
            if (source == null || source.version().equals(target.tag())) return 0;
            List<float[]> vectors = embed(tenant, target, source.chunks());
            Integer written = tx.execute(status -> write(tenant, documentId, target, source, vectors));
            if (written != null) return written;
        }
        throw new IllegalStateException("document " + documentId + " was re-ingested " + ATTEMPTS
                + " times while it was being re-embedded");
    }

    /**
     * The chunks of the document's latest ingest, from any version that has them; a source in the target
     * version itself means the target is current already. Null if the document has no chunks.
     */
    private Source read(String tenant, UUID documentId, EmbeddingVersion target) {
        List<Source> latest = jdbc.query("""
                        select created_at, embedding_version from chunks
                        where document_id = ? and tenant_id = ?
                          and created_at = (select max(created_at) from chunks where document_id = ?)
                        group by created_at, embedding_version
                        order by embedding_version = ? desc, embedding_version""",
                (rs, row) -> new Source(rs.getObject(1, OffsetDateTime.class), rs.getString(2), List.of()),
                documentId, tenant, documentId, target.tag());
        if (latest.isEmpty()) return null;
        Source found = latest.get(0);
        List<SourceChunk> chunks = jdbc.query("""
                        select ordinal, text, token_count from chunks
                        where document_id = ? and embedding_version = ? order by ordinal""",
                (rs, row) -> new SourceChunk(rs.getInt(1), rs.getString(2), rs.getInt(3)),
                documentId, found.version());
        return new Source(found.stamp(), found.version(), chunks);
    }

    private List<float[]> embed(String tenant, EmbeddingVersion target, List<SourceChunk> chunks) {
        EmbeddingModel model = catalog.model(target);
        List<float[]> vectors = new ArrayList<>(chunks.size());
        long tokens = 0;
        int segments = 0, calls = 0;
        try {
            for (int from = 0; from < chunks.size(); from += properties.batchSize()) {
                List<TextSegment> batch = chunks.subList(from, Math.min(chunks.size(), from + properties.batchSize()))
                        .stream().map(c -> TextSegment.from(c.text())).toList();
                List<Embedding> embeddings = model.embedAll(batch).content();
                tokens += chunks.subList(from, from + batch.size()).stream().mapToLong(SourceChunk::tokenCount).sum();
                segments += batch.size();
                calls++;
                if (embeddings.size() != batch.size()) {
                    throw new IllegalStateException("the model returned " + embeddings.size() + " embeddings for "
                            + batch.size() + " texts");
                }
                for (Embedding e : embeddings) {
                    if (e.dimension() != target.dimensions()) {
                        throw new IllegalStateException(target.tag() + " expects " + target.dimensions()
                                + " dimensions, the model returned " + e.dimension());
                    }
                    vectors.add(e.vector());
                }
            }
        } finally {
            // One upsert per document, also for the calls made before a failure.
            usage.recorderFor(target.tag()).record(tenant, tokens, segments, calls);
        }
        return vectors;
    }

    /** Null when a newer ingest landed since {@link #read}: the caller reads again. */
    private Integer write(String tenant, UUID documentId, EmbeddingVersion target, Source source,
                          List<float[]> vectors) {
        List<UUID> locked = jdbc.query("select id from documents where id = ? and tenant_id = ? for update",
                (rs, row) -> rs.getObject(1, UUID.class), documentId, tenant);
        if (locked.isEmpty()) return 0;
        OffsetDateTime latest = jdbc.queryForObject(
                "select max(created_at) from chunks where document_id = ?", OffsetDateTime.class, documentId);
        if (latest == null || !latest.isEqual(source.stamp())) return null;
        jdbc.update("delete from chunks where document_id = ? and tenant_id = ? and embedding_version = ?",
                documentId, tenant, target.tag());
        List<Integer> indexes = java.util.stream.IntStream.range(0, vectors.size()).boxed().toList();
        jdbc.batchUpdate("""
                        insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding,
                                            embedding_version, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""",
                indexes, 256, (ps, i) -> {
                    SourceChunk chunk = source.chunks().get(i);
                    ps.setString(1, tenant);
                    ps.setObject(2, documentId);
                    ps.setInt(3, chunk.ordinal());
                    ps.setString(4, chunk.text());
                    ps.setInt(5, chunk.tokenCount());
                    ps.setObject(6, new PGvector(vectors.get(i)));
                    ps.setString(7, target.tag());
                    ps.setObject(8, source.stamp());
                });
        return vectors.size();
    }
}
