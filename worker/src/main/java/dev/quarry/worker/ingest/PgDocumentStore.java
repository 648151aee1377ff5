package dev.quarry.worker.ingest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;
import java.util.UUID;

/** What the ingest pipeline reads of {@code documents} and {@code document_contents}; always scoped by tenant. */
@Repository
class PgDocumentStore {

    /** What extraction needs: the original bytes and what the API learned about them. */
    record StoredDocument(String mediaType, String filename, byte[] bytes) {
    }

    private final JdbcClient jdbc;

    PgDocumentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The document as it is while its content is still {@code contentSha256}. */
    Optional<StoredDocument> load(String tenantId, UUID documentId, String contentSha256) {
        return jdbc.sql("""
                        select d.media_type, d.filename, c.bytes
                        from documents d join document_contents c on c.document_id = d.id
                        where d.id = ? and d.tenant_id = ? and d.content_sha256 = ?""")
                .params(documentId, tenantId, contentSha256)
                .query((rs, row) -> new StoredDocument(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                .optional();
    }
}
