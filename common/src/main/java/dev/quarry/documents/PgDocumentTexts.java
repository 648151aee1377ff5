package dev.quarry.documents;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;
import java.util.UUID;

/**
 * {@code document_texts}: a document's extracted, normalized and scrubbed text, kept for the content it was
 * cut from, so that a resumed ingest starts from it instead of extracting again. One row per document.
 */
@Repository
public class PgDocumentTexts {
    private final JdbcClient jdbc;

    PgDocumentTexts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces the document's text; joins the caller's transaction (the step that produced it). */
    public void save(UUID documentId, String contentSha256, String text) {
        jdbc.sql("""
                        insert into document_texts (document_id, content_sha256, text) values (?, ?, ?)
                        on conflict (document_id) do update set content_sha256 = excluded.content_sha256,
                            text = excluded.text""")
                .params(documentId, contentSha256, text).update();
    }

    /** The text saved for the document's content {@code contentSha256}, if any. */
    public Optional<String> find(UUID documentId, String contentSha256) {
        return jdbc.sql("select text from document_texts where document_id = ? and content_sha256 = ?")
                .params(documentId, contentSha256).query(String.class).optional();
    }
}
