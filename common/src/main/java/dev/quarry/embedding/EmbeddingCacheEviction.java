package dev.quarry.embedding;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.UUID;

/**
 * Forgets the cached vectors of a document that is about to be deleted, except those another chunk of the
 * tenant still uses: an identical paragraph in another document keeps its entry, so re-ingesting that one
 * stays free. Run it before the document's chunks are deleted, in the same transaction: it finds the
 * entries through them. Equal texts are found by comparing the texts (the cache key is their SHA-256), which
 * reads the tenant's chunks once.
 */
@Repository
public class EmbeddingCacheEviction {
    private final JdbcTemplate jdbc;

    EmbeddingCacheEviction(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return how many cache entries were deleted */
    public int evictUnusedOf(String tenant, UUID documentId) {
        return jdbc.update("""
                with mine as (
                    select distinct embedding_version, text from chunks where tenant_id = ? and document_id = ?),
                unused as (
                    select m.embedding_version, encode(sha256(convert_to(m.text, 'UTF8')), 'hex') as text_sha256
                    from mine m
                    where not exists (select 1 from chunks o
                                      where o.tenant_id = ? and o.document_id <> ?
                                        and o.embedding_version = m.embedding_version and o.text = m.text))
                delete from embedding_cache c using unused u
                where c.tenant_id = ? and c.embedding_version = u.embedding_version and c.text_sha256 = u.text_sha256""",
                tenant, documentId, tenant, documentId, tenant);
    }
}
