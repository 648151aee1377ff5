package dev.quarry.api.documents;

import dev.quarry.documents.DocumentStatus;
import dev.quarry.documents.DocumentViewer;
import dev.quarry.jobs.JobStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.UUID;

/**
 * The documents a bulk re-ingest matches, each classified in the same statement that locks it (the same
 * row lock the per-document re-ingest takes, so the two never queue competing jobs of one document).
 */
@Repository
class ReingestCandidates {
    private final JdbcClient jdbc;

    ReingestCandidates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    enum State {
        /** an ingest is waiting, running or being cancelled: skipped */
        IN_PROGRESS,
        /** the current content is indexed for the current embedding version: nothing to do */
        UNCHANGED,
        /** needs an ingest job */
        STALE
    }

    record Candidate(UUID id, State state, long sizeBytes) {
    }

    /** Locks (in id order, so that concurrent bulk requests cannot deadlock) and classifies the matches. */
    List<Candidate> lock(String tenant, DocumentViewer viewer, ReingestFilter filter, String embeddingVersion) {
        return viewer.bind(jdbc.sql("""
                        select d.id, d.size_bytes,
                            case when exists (select 1 from jobs j where j.document_id = d.id and j.type = 'INGEST'
                                              and j.status in (%s))
                                     then 'IN_PROGRESS'
                                 when d.status = :indexed and exists (select 1 from pipeline_steps p
                                              where p.document_id = d.id and p.content_sha256 = d.content_sha256
                                              and p.step = 'store' and p.embedding_version = :version)
                                     then 'UNCHANGED'
                                 else 'STALE' end as state
                        from documents d
                        where d.tenant_id = :tenant
                          and (cast(:collection as text) is null or d.collection = :collection)
                          and (cast(:filterIds as boolean) is false or d.id = any(cast(:ids as uuid[])))%s
                        order by d.id
                        for update of d""".formatted(JobStatus.sql(JobStatus.ACTIVE), viewer.sql())))
                .param("version", embeddingVersion)
                .param("indexed", DocumentStatus.INDEXED.name())
                .param("tenant", tenant)
                .param("collection", filter.collection())
                .param("filterIds", filter.documentIds() != null)
                .param("ids", filter.documentIds() == null ? new String[0]
                        : filter.documentIds().stream().map(UUID::toString).toArray(String[]::new))
                .query((rs, row) -> new Candidate(rs.getObject("id", UUID.class), State.valueOf(rs.getString("state")),
                        rs.getLong("size_bytes")))
                .list();
    }
}
