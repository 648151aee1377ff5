package dev.quarry.chunks;

import com.pgvector.PGvector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code chunks}, for ingest and reindex alike: a document's chunks of one embedding version are replaced as
 * a whole, never appended, so a re-run of either leaves one set. The callers lock the document row first (in
 * the same transaction), so that an ingest and a reindex of one document replace one after the other.
 */
@Repository
public class PgChunkStore {
    private final JdbcTemplate jdbc;

    PgChunkStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * An ingest's chunks: they replace the document's chunks of {@code version} and carry the transaction's
     * time, which makes them the document's current chunks. Joins the caller's transaction.
     */
    public void replace(String tenant, UUID documentId, String version, List<NewChunk> chunks) {
        write(tenant, documentId, version, chunks, null);
    }

    /**
     * Chunks copied from {@code source} into another version (a reindex): same texts, new vectors, and the
     * source's stamp, so that they are exactly as current as the ingest they were cut by. Joins the caller's
     * transaction.
     */
    public void replaceCopy(String tenant, UUID documentId, String version, List<NewChunk> chunks,
                            OffsetDateTime sourceStamp) {
        write(tenant, documentId, version, chunks, sourceStamp);
    }

    /**
     * The chunks of the document's latest ingest, in {@code preferredVersion} if that version has them (then
     * it is current already) and else in another version that does. Empty if the document has no chunks.
     */
    public Optional<IngestedChunks> latest(String tenant, UUID documentId, String preferredVersion) {
        List<IngestedChunks> latest = jdbc.query("""
                        select created_at, embedding_version from chunks
                        where document_id = ? and tenant_id = ?
                          and created_at = (select max(created_at) from chunks where document_id = ?)
                        group by created_at, embedding_version
                        order by embedding_version = ? desc, embedding_version""",
                (rs, row) -> new IngestedChunks(rs.getObject(1, OffsetDateTime.class), rs.getString(2), List.of()),
                documentId, tenant, documentId, preferredVersion);
        if (latest.isEmpty()) return Optional.empty();
        IngestedChunks found = latest.get(0);
        List<StoredChunk> chunks = jdbc.query("""
                        select ordinal, text, token_count, section_path from chunks
                        where document_id = ? and embedding_version = ? order by ordinal""",
                (rs, row) -> new StoredChunk(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getString(4)),
                documentId, found.version());
        return Optional.of(new IngestedChunks(found.stamp(), found.version(), chunks));
    }

    /** The stamp of the document's latest ingest (see {@link IngestedChunks}); empty if it has no chunks. */
    public Optional<OffsetDateTime> latestStamp(UUID documentId) {
        return Optional.ofNullable(jdbc.queryForObject("select max(created_at) from chunks where document_id = ?",
                OffsetDateTime.class, documentId));
    }

    /** Deletes every chunk of the tenant in {@code version}; joins the caller's transaction. */
    /** Deletes every chunk (and so every vector) of a document, in every embedding version. */
    public int deleteDocument(String tenant, UUID documentId) {
        return jdbc.update("delete from chunks where tenant_id = ? and document_id = ?", tenant, documentId);
    }

    public int deleteVersion(String tenant, String version) {
        return jdbc.update("delete from chunks where tenant_id = ? and embedding_version = ?", tenant, version);
    }

    private void write(String tenant, UUID documentId, String version, List<NewChunk> chunks, OffsetDateTime stamp) {
        jdbc.update("delete from chunks where document_id = ? and tenant_id = ? and embedding_version = ?",
                documentId, tenant, version);
        jdbc.batchUpdate("""
                        insert into chunks (tenant_id, document_id, ordinal, text, token_count, section_path,
                                            embedding, embedding_version, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, coalesce(cast(? as timestamptz), now()))""",
                chunks, 256, (ps, c) -> {
                    ps.setString(1, tenant);
                    ps.setObject(2, documentId);
                    ps.setInt(3, c.ordinal());
                    ps.setString(4, c.text());
                    ps.setInt(5, c.tokenCount());
                    ps.setString(6, c.sectionPath());
                    ps.setObject(7, new PGvector(c.vector()));
                    ps.setString(8, version);
                    ps.setObject(9, stamp);
                });
    }
}
