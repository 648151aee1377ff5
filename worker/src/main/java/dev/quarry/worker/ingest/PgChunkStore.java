package dev.quarry.worker.ingest;

import com.pgvector.PGvector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.UUID;

/** {@code chunks}: a document's chunks for one embedding version are replaced as a whole, never appended. */
@Repository
class PgChunkStore {

    /** A chunk ready to store: its text and its vector. */
    record EmbeddedChunk(Chunk chunk, float[] vector) {
    }

    private final JdbcTemplate jdbc;

    PgChunkStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Replaces the document's chunks of {@code embeddingVersion} and marks the document INDEXED. Must run in
     * a transaction (the caller's): updating the document row first locks it, so two attempts of the same
     * job replace one after the other instead of interleaving, and a deleted document is noticed before any
     * chunk is written.
     *
     * @throws UnprocessableDocumentException if the tenant has no such document (any more), or its content is
     *                                        no longer {@code contentSha256} (replaced while this job ran; the
     *                                        ingest of the newer content stores it)
     */
    void replace(String tenantId, UUID documentId, String contentSha256, String embeddingVersion,
                 List<EmbeddedChunk> chunks) {
        int documents = jdbc.update("""
                        update documents set status = 'INDEXED', chunk_count = ?, updated_at = now()
                        where id = ? and tenant_id = ? and content_sha256 = ?""",
                chunks.size(), documentId, tenantId, contentSha256);
        if (documents == 0) {
            Integer exists = jdbc.queryForObject("select count(*) from documents where id = ? and tenant_id = ?",
                    Integer.class, documentId, tenantId);
            throw new UnprocessableDocumentException(exists != null && exists > 0
                    ? "the document's content was replaced while it was ingested"
                    : "the document no longer exists");
        }
        jdbc.update("delete from chunks where document_id = ? and tenant_id = ? and embedding_version = ?",
                documentId, tenantId, embeddingVersion);
        jdbc.batchUpdate("""
                        insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                        values (?, ?, ?, ?, ?, ?, ?)""",
                chunks, 256, (ps, c) -> {
                    ps.setString(1, tenantId);
                    ps.setObject(2, documentId);
                    ps.setInt(3, c.chunk().ordinal());
                    ps.setString(4, c.chunk().text());
                    ps.setInt(5, c.chunk().tokenCount());
                    ps.setObject(6, new PGvector(c.vector()));
                    ps.setString(7, embeddingVersion);
                });
    }

}
