package dev.quarry.api.documents;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.documents.DocumentViewer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.UUID;

/**
 * The tenant's documents a bulk deletion matches. Listed ids must all be the tenant's: an id of another
 * tenant, or of no document, rejects the whole request (404), since deleting the rest would half-do what
 * the client asked.
 */
@Repository
class DeletionMatches {
    private final JdbcClient jdbc;

    DeletionMatches(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<UUID> find(String tenant, DocumentViewer viewer, ReingestFilter filter) {
        List<UUID> ids = viewer.bind(jdbc.sql("""
                        select d.id from documents d
                        where d.tenant_id = :tenant
                          and (cast(:collection as text) is null or d.collection = :collection)
                          and (cast(:filterIds as boolean) is false or d.id = any(cast(:ids as uuid[])))"""
                        + viewer.sql() + " order by d.id"))
                .param("tenant", tenant)
                .param("collection", filter.collection())
                .param("filterIds", filter.documentIds() != null)
                .param("ids", filter.documentIds() == null ? new String[0]
                        : filter.documentIds().stream().map(UUID::toString).toArray(String[]::new))
                .query(UUID.class).list();
        if (filter.collection() == null && filter.documentIds() != null && ids.size() < filter.documentIds().size()) {
            throw new ApiProblem(ProblemKind.NOT_FOUND, (filter.documentIds().size() - ids.size())
                    + " of the listed documents are not this tenant's (or not yours to see); nothing was deleted");
        }
        return ids;
    }
}
