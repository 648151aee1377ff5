package dev.quarry.api.documents;

import dev.quarry.jobs.JobStatus;
import dev.quarry.api.web.PageCursor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code documents} and {@code document_contents} tables, always scoped by tenant. */
@Repository
class PgDocumentStore {
    private static final String COLUMNS = """
            id, title, collection, source, tags, reliability, media_type, filename, size_bytes, content_sha256,
            status, chunk_count, created_at, updated_at, published_at""";
    private final JdbcClient jdbc;

    PgDocumentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Joins the caller's transaction: the document, its bytes and its job commit together. */
    void insert(NewDocument document) {
        DocumentMetadata metadata = document.metadata();
        jdbc.sql("""
                        insert into documents (id, tenant_id, title, collection, source, tags, reliability, media_type,
                            filename, size_bytes, content_sha256, published_at)
                        values (?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?)""")
                .params(document.id(), document.tenant(), document.title(), metadata.collectionOrDefault(),
                        metadata.source(), metadata.tagsOrEmpty().toArray(String[]::new),
                        metadata.reliabilityOrDefault(), document.mediaType(), document.filename(),
                        document.content().length, document.sha256(),
                        metadata.publishedAt() == null ? null : Timestamp.from(metadata.publishedAt()))
                .update();
        jdbc.sql("insert into document_contents (document_id, bytes) values (?, ?)")
                .params(document.id(), document.content())
                .update();
    }

    /**
     * Locks the tenant's document row for the caller's transaction, so that two requests to re-ingest or
     * replace it queue one job after the other; false if the tenant has no such document.
     */
    boolean lock(String tenant, UUID id) {
        return jdbc.sql("select 1 from documents where tenant_id = ? and id = ? for update")
                .params(tenant, id).query(Integer.class).optional().isPresent();
    }

    /** Whether an ingest of the document is waiting, running or being cancelled. */
    boolean ingestPending(UUID id) {
        return jdbc.sql("""
                        select exists (select 1 from jobs where document_id = ? and type = 'INGEST'
                                       and status in (%s))""".formatted(JobStatus.sql(JobStatus.ACTIVE)))
                .param(id).query(Boolean.class).single();
    }

    /**
     * Whether the document's current content is indexed for {@code embeddingVersion}, as recorded by the
     * worker's store step ({@code pipeline_steps}) in the transaction that stored its chunks.
     */
    boolean storedAsIs(UUID id, String embeddingVersion) {
        return jdbc.sql("""
                        select exists (select 1 from documents d join pipeline_steps p on p.document_id = d.id
                                           and p.content_sha256 = d.content_sha256 and p.step = 'store'
                                           and p.embedding_version = ?
                                       where d.id = ? and d.status = 'INDEXED')""")
                .params(embeddingVersion, id).query(Boolean.class).single();
    }

    /**
     * Replaces a locked document's content; its chunks stay searchable until the new content is stored, and
     * its status says PENDING meanwhile.
     */
    void replaceContent(String tenant, UUID id, NewContent content) {
        jdbc.sql("""
                        update documents set media_type = ?, filename = coalesce(?, filename), size_bytes = ?,
                            content_sha256 = ?, status = 'PENDING', updated_at = now()
                        where tenant_id = ? and id = ?""")
                .params(content.mediaType(), content.filename(), content.bytes().length, content.sha256(), tenant, id)
                .update();
        jdbc.sql("update document_contents set bytes = ? where document_id = ?").params(content.bytes(), id).update();
    }

    Optional<DocumentView> find(String tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from documents where tenant_id = ? and id = ?")
                .params(tenant, id).query(this::map).optional();
    }

    /** Keyset pagination on (created_at, id) descending, served by the documents_tenant_page index. */
    DocumentPage page(String tenant, PageCursor after, int limit) {
        List<DocumentView> rows = after == null
                ? jdbc.sql("select " + COLUMNS + " from documents where tenant_id = ? "
                                + "order by created_at desc, id desc limit ?")
                        .params(tenant, limit + 1).query(this::map).list()
                : jdbc.sql("select " + COLUMNS + " from documents where tenant_id = ? and (created_at, id) < (?, ?) "
                                + "order by created_at desc, id desc limit ?")
                        .params(tenant, Timestamp.from(after.createdAt()), after.id(), limit + 1)
                        .query(this::map).list();
        if (rows.size() <= limit) return new DocumentPage(rows, null);
        List<DocumentView> page = rows.subList(0, limit);
        DocumentView last = page.get(limit - 1);
        return new DocumentPage(List.copyOf(page), new PageCursor(last.createdAt(), last.id()).encode());
    }

    private DocumentView map(ResultSet rs, int row) throws SQLException {
        return new DocumentView(rs.getObject("id", UUID.class), rs.getString("title"), rs.getString("collection"),
                rs.getString("source"), tags(rs.getArray("tags")), rs.getString("reliability"),
                rs.getString("media_type"), rs.getString("filename"), rs.getLong("size_bytes"),
                rs.getString("content_sha256"), rs.getString("status"), rs.getInt("chunk_count"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                publishedAt(rs.getTimestamp("published_at")));
    }

    private static java.time.Instant publishedAt(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> tags(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
