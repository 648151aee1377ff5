package dev.quarry.embedding;

import dev.quarry.chunks.PgChunkStore;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Embedding versions in PostgreSQL: their registration (one HNSW index each), each tenant's active version,
 * and coverage.
 *
 * <p>Coverage: a document's chunks of a version are current when they were cut from the document's latest
 * ingest. Ingest stamps its chunks with its transaction's time, and a reindex stamps the chunks it writes
 * with the newest stamp of the chunks it copied, so a version covers a document when its newest chunk
 * carries the newest stamp among the document's chunks of every version. A version covers a tenant when it
 * covers every document that has chunks.
 */
@Repository
public class PgEmbeddingVersions {
    private static final String UNCOVERED = """
            select d.id from documents d
            where d.tenant_id = :tenant
              and exists (select 1 from chunks c where c.document_id = d.id)
              and not exists (select 1 from chunks c
                              where c.document_id = d.id and c.embedding_version = :version
                                and c.created_at = (select max(m.created_at) from chunks m
                                                    where m.document_id = d.id))
            order by d.id""";

    private final JdbcClient jdbc;
    private final EmbeddingCatalog catalog;
    private final PgChunkStore chunks;

    PgEmbeddingVersions(JdbcClient jdbc, EmbeddingCatalog catalog, PgChunkStore chunks) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.chunks = chunks;
    }

    /** A version, its coverage of one tenant, and whether it serves the tenant's searches. */
    public record Coverage(String tag, int dimensions, long chunks, long coveredDocuments, long documents,
                           boolean active) {
        public boolean complete() {
            return coveredDocuments == documents;
        }
    }

    /** New ingests may write the configured version as soon as the process is up: its index comes first. */
    @EventListener(ApplicationStartedEvent.class)
    void registerConfigured() {
        register(catalog.configured());
    }

    /** Registers the version and builds its index if missing; idempotent. */
    public void register(EmbeddingVersion version) {
        jdbc.sql("select 1 from quarry_register_embedding_version(:tag, :dimensions)")
                .param("tag", version.tag()).param("dimensions", version.dimensions()).query(Integer.class).single();
    }

    /** The version serving {@code tenant}'s searches: its own choice, or else the configured version. */
    public EmbeddingVersion active(String tenant) {
        return jdbc.sql("""
                        select v.tag, v.dimensions from tenant_embedding_versions t
                             join embedding_versions v on v.tag = t.active_version
                        where t.tenant_id = ?""")
                .param(tenant)
                .query((rs, row) -> new EmbeddingVersion(rs.getString(1), rs.getInt(2)))
                .optional().orElse(catalog.configured());
    }

    public Optional<EmbeddingVersion> registered(String tag) {
        return jdbc.sql("select tag, dimensions from embedding_versions where tag = ?").param(tag)
                .query((rs, row) -> new EmbeddingVersion(rs.getString(1), rs.getInt(2))).optional();
    }

    /** Documents of the tenant that {@code version} does not cover, at most {@code limit}. */
    public List<UUID> uncovered(String tenant, String version, int limit) {
        return jdbc.sql(UNCOVERED + " limit :limit")
                .param("tenant", tenant).param("version", version).param("limit", limit)
                .query(UUID.class).list();
    }

    /**
     * Makes {@code version} the tenant's active version, atomically: searches see the previous version or
     * this one, never a mix. Serialized per tenant with other activations and deletions.
     *
     * @throws VersionNotCoveredException if the version does not cover every document of the tenant
     */
    @Transactional
    public void activate(String tenant, EmbeddingVersion version) {
        lockTenant(tenant);
        register(version);
        List<UUID> missing = uncovered(tenant, version.tag(), 1);
        if (!missing.isEmpty()) {
            throw new VersionNotCoveredException("embedding version " + version.tag()
                    + " does not cover every document yet (e.g. " + missing.get(0) + "); reindex into it first");
        }
        jdbc.sql("""
                        insert into tenant_embedding_versions (tenant_id, active_version) values (?, ?)
                        on conflict (tenant_id) do update
                            set active_version = excluded.active_version, activated_at = now()""")
                .params(tenant, version.tag()).update();
    }

    /** Every registered version with the tenant's coverage; the active one is marked. */
    public List<Coverage> coverage(String tenant) {
        String active = active(tenant).tag();
        return jdbc.sql("""
                        with docs as materialized (
                            select d.id, (select max(m.created_at) from chunks m where m.document_id = d.id) as fresh
                            from documents d
                            where d.tenant_id = :tenant and exists (select 1 from chunks c where c.document_id = d.id)
                        )
                        select v.tag, v.dimensions,
                               (select count(*) from chunks c
                                where c.tenant_id = :tenant and c.embedding_version = v.tag) as chunks,
                               (select count(*) from docs
                                where exists (select 1 from chunks c
                                              where c.document_id = docs.id and c.embedding_version = v.tag
                                                and c.created_at = docs.fresh)) as covered,
                               (select count(*) from docs) as documents
                        from embedding_versions v
                        order by v.tag""")
                .param("tenant", tenant)
                .query((rs, row) -> new Coverage(rs.getString("tag"), rs.getInt("dimensions"), rs.getLong("chunks"),
                        rs.getLong("covered"), rs.getLong("documents"), rs.getString("tag").equals(active)))
                .list();
    }

    /**
     * Deletes the tenant's vectors of {@code tag}. When no tenant has any left (and the version is neither
     * active anywhere, nor a reindex's target, nor the configured version), its index goes too.
     *
     * @return false if the tenant had no such version
     * @throws VersionInUseException if it is the tenant's active version or a running reindex's target
     */
    @Transactional
    public boolean delete(String tenant, String tag) {
        lockTenant(tenant);
        if (active(tenant).tag().equals(tag)) {
            throw new VersionInUseException("embedding version " + tag + " serves this tenant's searches; "
                    + "activate another version before deleting it");
        }
        jdbc.sql("select 1 from quarry_close_ended_reindexes(?)").param(tenant).query(Integer.class).single();
        boolean reindexing = Boolean.TRUE.equals(jdbc.sql("""
                        select exists (select 1 from reindexes
                                       where tenant_id = ? and target_version = ? and finished_at is null)""")
                .params(tenant, tag).query(Boolean.class).single());
        if (reindexing) throw new VersionInUseException("a running reindex is writing embedding version " + tag);
        int deleted = chunks.deleteVersion(tenant, tag);
        boolean known = registered(tag).isPresent();
        if (known && !tag.equals(catalog.configured().tag())) {
            jdbc.sql("select quarry_unregister_embedding_version(?)").param(tag).query(Boolean.class).single();
        }
        jdbc.sql("delete from search_term_stats where tenant_id = ? and embedding_version = ?").params(tenant, tag)
                .update();
        jdbc.sql("delete from search_corpus_stats where tenant_id = ? and embedding_version = ?").params(tenant, tag)
                .update();
        return deleted > 0 || known;
    }

    /** Activation, deletion and a reindex's switch of one tenant happen one at a time. */
    public void lockTenant(String tenant) {
        jdbc.sql("select 1 from pg_advisory_xact_lock(hashtextextended(?, 0))")
                .param("quarry.embedding_versions/" + tenant).query(Integer.class).single();
    }

    /** The version does not cover every document of the tenant. */
    public static class VersionNotCoveredException extends RuntimeException {
        VersionNotCoveredException(String message) {
            super(message);
        }
    }

    /** The version is in use and cannot be deleted. */
    public static class VersionInUseException extends RuntimeException {
        VersionInUseException(String message) {
            super(message);
        }
    }
}
