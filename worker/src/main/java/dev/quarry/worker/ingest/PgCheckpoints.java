package dev.quarry.worker.ingest;

import dev.quarry.documents.DocumentStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code pipeline_steps}: which steps are done for a document's content and embedding version (the scrubbed
 * text a resumed run starts from is the documents package's {@code document_texts}). The primary key of
 * {@code pipeline_steps} (document, content hash, step, version) makes a duplicate record impossible.
 */
@Repository
class PgCheckpoints {
    private final JdbcClient jdbc;
    private final String embeddingVersion;

    PgCheckpoints(JdbcClient jdbc, dev.quarry.embedding.EmbeddingVersion version) {
        this.jdbc = jdbc;
        this.embeddingVersion = version.tag();
    }

    /**
     * Fills in the run's content hash and the steps recorded for it, in one query.
     *
     * @throws UnprocessableDocumentException if the tenant has no such document (any more)
     */
    void begin(IngestRun run) {
        record Begun(String sha256, String status, int chunkCount, Set<String> steps, String mediaType) {
        }
        Begun begun = jdbc.sql("""
                        select d.content_sha256, d.status, d.chunk_count,
                               array(select p.step from pipeline_steps p
                                     where p.document_id = d.id and p.content_sha256 = d.content_sha256
                                       and p.embedding_version = ?) as steps,
                               d.media_type
                        from documents d where d.id = ? and d.tenant_id = ?""")
                .params(embeddingVersion, run.documentId(), run.tenantId())
                .query((rs, row) -> new Begun(rs.getString(1), rs.getString(2), rs.getInt(3), steps(rs.getArray(4)),
                        rs.getString(5)))
                .optional()
                .orElseThrow(() -> new UnprocessableDocumentException("the document no longer exists"));
        run.contentSha256 = begun.sha256();
        run.mediaType = begun.mediaType();
        Set<String> steps = new HashSet<>(begun.steps());
        // Stored chunks count only while the document still says so (e.g. not after its content was replaced
        // and replaced back before the newer content was stored).
        if (!DocumentStatus.INDEXED.name().equals(begun.status())) steps.remove("store");
        run.completedSteps = Set.copyOf(steps);
        run.chunkCount = begun.chunkCount();
    }

    /** Records a completed step; joins the caller's transaction, which also holds the step's output. */
    void completed(IngestRun run, String step) {
        jdbc.sql("""
                        insert into pipeline_steps (document_id, content_sha256, step, embedding_version)
                        values (?, ?, ?, ?) on conflict do nothing""")
                .params(run.documentId(), run.contentSha256, step, embeddingVersion).update();
    }

    /** Records of earlier contents of the document are dead weight once a newer content is stored. */
    void forgetOtherContents(IngestRun run) {
        jdbc.sql("delete from pipeline_steps where document_id = ? and content_sha256 <> ?")
                .params(run.documentId(), run.contentSha256).update();
    }

    private static Set<String> steps(Array array) throws java.sql.SQLException {
        return array == null ? Set.of() : new HashSet<>(Arrays.asList((String[]) array.getArray()));
    }
}
