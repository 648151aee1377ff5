package dev.quarry.documents;

import dev.quarry.jobs.JobStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code documents} and {@code document_contents}: the only writer of both, for the API (uploads, content
 * replacements) and the worker (status changes). Every method that takes a tenant is scoped by it; another
 * tenant's document is indistinguishable from a missing one.
 */
@Repository
public class PgDocumentStore {
    private static final String COLUMNS = """
            id, title, collection, source, tags, reliability, media_type, filename, size_bytes, content_sha256,
            status, chunk_count, created_at, updated_at, published_at, visibility""";
    private final JdbcClient jdbc;

    PgDocumentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What {@link #markIndexed} found. */
    public enum Indexing { MARKED, CONTENT_REPLACED, GONE }

    /** Joins the caller's transaction: the document, its bytes and its job commit together. */
    public void insert(NewDocument document) {
        jdbc.sql("""
                        insert into documents (id, tenant_id, uploaded_by, title, collection, source, tags, reliability,
                            media_type, filename, size_bytes, content_sha256, published_at, visibility)
                        values (?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?)""")
                .params(document.id(), document.tenant(), document.uploadedBy(), document.title(), document.collection(), document.source(),
                        document.tags().toArray(String[]::new), document.reliability(), document.mediaType(),
                        document.filename(), document.content().length, document.sha256(),
                        document.publishedAt() == null ? null : Timestamp.from(document.publishedAt()),
                        document.visibility().wire())
                .update();
        jdbc.sql("insert into document_contents (document_id, bytes) values (?, ?)")
                .params(document.id(), document.content())
                .update();
    }

    /**
     * Locks the tenant's document row for the caller's transaction, so that re-ingests, content replacements,
     * stores and reindex writes of one document happen one after the other; false if there is no such document.
     */
    public boolean lock(String tenant, UUID id) {
        return lock(tenant, id, DocumentViewer.ALL);
    }

    /** {@link #lock(String, UUID)} on a caller's behalf: false also for a private document the viewer may not see. */
    public boolean lock(String tenant, UUID id, DocumentViewer viewer) {
        return viewer.bind(jdbc.sql("select 1 from documents d where d.tenant_id = :tenant and d.id = :id" + viewer.sql()
                        + " for update"))
                .param("tenant", tenant).param("id", id).query(Integer.class).optional().isPresent();
    }

    /** The size of the document's current content, in bytes (0 if there is no such document). */
    public long sizeBytes(UUID id) {
        return jdbc.sql("select size_bytes from documents where id = ?").param(id).query(Long.class).optional().orElse(0L);
    }

    /** Whether an ingest of the document is waiting, running or being cancelled. */
    public boolean ingestPending(UUID id) {
        return jdbc.sql("""
                        select exists (select 1 from jobs where document_id = ? and type = 'INGEST'
                                       and status in (%s))""".formatted(JobStatus.sql(JobStatus.ACTIVE)))
                .param(id).query(Boolean.class).single();
    }

    /**
     * Whether the document's current content is indexed for {@code embeddingVersion}, as recorded by the
     * worker's store step ({@code pipeline_steps}) in the transaction that stored its chunks.
     */
    public boolean storedAsIs(UUID id, String embeddingVersion) {
        return jdbc.sql("""
                        select exists (select 1 from documents d join pipeline_steps p on p.document_id = d.id
                                           and p.content_sha256 = d.content_sha256 and p.step = 'store'
                                           and p.embedding_version = ?
                                       where d.id = ? and d.status = ?)""")
                .params(embeddingVersion, id, DocumentStatus.INDEXED.name()).query(Boolean.class).single();
    }

    /**
     * Replaces a locked document's content; its chunks stay searchable until the new content is stored, and
     * its status says PENDING meanwhile.
     */
    public void replaceContent(String tenant, UUID id, NewContent content) {
        jdbc.sql("""
                        update documents set media_type = ?, filename = coalesce(?, filename), size_bytes = ?,
                            content_sha256 = ?, status = ?, updated_at = now()
                        where tenant_id = ? and id = ?""")
                .params(content.mediaType(), content.filename(), content.bytes().length, content.sha256(),
                        DocumentStatus.PENDING.name(), tenant, id)
                .update();
        jdbc.sql("update document_contents set bytes = ? where document_id = ?").params(content.bytes(), id).update();
    }

    /** The document's bytes while its content is still {@code contentSha256}. */
    public Optional<StoredContent> content(String tenant, UUID id, String contentSha256) {
        return jdbc.sql("""
                        select d.media_type, d.filename, c.bytes
                        from documents d join document_contents c on c.document_id = d.id
                        where d.id = ? and d.tenant_id = ? and d.content_sha256 = ?""")
                .params(id, tenant, contentSha256)
                .query((rs, row) -> new StoredContent(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                .optional();
    }

    /**
     * Marks the document INDEXED with {@code chunkCount} chunks if its content is still {@code contentSha256}.
     * Joins the caller's transaction, which it should do before it writes chunks: the update locks the row.
     */
    public Indexing markIndexed(String tenant, UUID id, String contentSha256, int chunkCount) {
        int updated = jdbc.sql("""
                        update documents set status = ?, chunk_count = ?, updated_at = now()
                        where id = ? and tenant_id = ? and content_sha256 = ?""")
                .params(DocumentStatus.INDEXED.name(), chunkCount, id, tenant, contentSha256).update();
        if (updated > 0) return Indexing.MARKED;
        return find(tenant, id).isPresent() ? Indexing.CONTENT_REPLACED : Indexing.GONE;
    }

    /** Marks the document FAILED (its ingest was dead-lettered); false if there is no such document. */
    public boolean markFailed(String tenant, UUID id) {
        return jdbc.sql("update documents set status = ?, updated_at = now() where id = ? and tenant_id = ?")
                .params(DocumentStatus.FAILED.name(), id, tenant).update() > 0;
    }

    /**
     * Those of {@code ids} that are documents of the tenant the viewer may not see (another user's private ones),
     * so that what refers to them (their jobs) can be hidden too.
     */
    public Set<UUID> hiddenFrom(String tenant, DocumentViewer viewer, Collection<UUID> ids) {
        if (viewer.seesAll() || ids.isEmpty()) return Set.of();
        return Set.copyOf(viewer.bind(jdbc.sql("""
                        select d.id from documents d where d.tenant_id = :tenant and d.id = any(cast(:ids as uuid[]))"""
                        + viewer.hiddenSql()))
                .param("tenant", tenant).param("ids", ids.toArray(UUID[]::new)).query(UUID.class).list());
    }

    /** Up to {@code limit} ids of the documents a subject (a token's sub) uploaded to a tenant. */
    public List<UUID> uploadedBy(String tenant, String subject, int limit) {
        return jdbc.sql("select id from documents where tenant_id = ? and uploaded_by = ? order by id limit ?")
                .params(tenant, subject, limit).query(UUID.class).list();
    }

    /**
     * Deletes a document with its original bytes, scrubbed texts and pipeline checkpoints (their foreign keys
     * cascade, V1 and V3); its jobs stay, without the document (V1's {@code on delete set null}).
     */
    public boolean delete(String tenant, UUID id) {
        return jdbc.sql("delete from documents where tenant_id = ? and id = ?").params(tenant, id).update() == 1;
    }

    public Optional<DocumentView> find(String tenant, UUID id) {
        return find(tenant, id, DocumentViewer.ALL);
    }

    /** The document if the viewer may see it: a private document of another user is as missing as none. */
    public Optional<DocumentView> find(String tenant, UUID id, DocumentViewer viewer) {
        return viewer.bind(jdbc.sql("select " + COLUMNS + " from documents d where d.tenant_id = :tenant and d.id = :id"
                        + viewer.sql()))
                .param("tenant", tenant).param("id", id).query(this::map).optional();
    }

    /**
     * At most {@code limit} documents, newest first (created_at, then id, descending), after the one created
     * at {@code afterCreatedAt} with {@code afterId} when those are given; served by the documents_tenant_page
     * index.
     */
    public List<DocumentView> newestFirst(String tenant, Instant afterCreatedAt, UUID afterId, int limit) {
        return newestFirst(tenant, DocumentViewer.ALL, afterCreatedAt, afterId, limit);
    }

    /** {@link #newestFirst(String, Instant, UUID, int)} of the documents the viewer may see. */
    public List<DocumentView> newestFirst(String tenant, DocumentViewer viewer, Instant afterCreatedAt, UUID afterId,
                                          int limit) {
        String after = afterCreatedAt == null ? "" : " and (d.created_at, d.id) < (:afterCreatedAt, :afterId)";
        JdbcClient.StatementSpec statement = viewer.bind(jdbc.sql("select " + COLUMNS + " from documents d where d.tenant_id = :tenant"
                + after + viewer.sql() + " order by d.created_at desc, d.id desc limit :limit"))
                .param("tenant", tenant).param("limit", limit);
        if (afterCreatedAt != null) {
            statement = statement.param("afterCreatedAt", Timestamp.from(afterCreatedAt)).param("afterId", afterId);
        }
        return statement.query(this::map).list();
    }

    private DocumentView map(ResultSet rs, int row) throws SQLException {
        return new DocumentView(rs.getObject("id", UUID.class), rs.getString("title"), rs.getString("collection"),
                rs.getString("source"), tags(rs.getArray("tags")), rs.getString("reliability"),
                rs.getString("media_type"), rs.getString("filename"), rs.getLong("size_bytes"),
                rs.getString("content_sha256"), DocumentStatus.valueOf(rs.getString("status")),
                rs.getInt("chunk_count"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), instant(rs.getTimestamp("published_at")),
                rs.getString("visibility"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> tags(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
