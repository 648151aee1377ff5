package dev.quarry.exports;

import dev.quarry.documents.DocumentViewer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.UUID;

/** Checks a scope against a tenant's documents, or the requester's threads, before an export is accepted. */
@Repository
public class PgExportScopes {
    private final JdbcClient jdbc;

    PgExportScopes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * How many of the tenant's documents the scope selects or, for a conversation scope, how many of the
     * requester's threads: another user's thread counts as none, as it does for every conversation endpoint.
     */
    public int count(String tenant, String requester, ExportScope scope) {
        if (!scope.ofConversations()) return count(tenant, scope);
        if (requester == null) return 0;
        String which = scope.conversationId() == null ? "deleted_at is null" : "id = :id";
        return jdbc.sql("select count(*) from conversations where tenant_id = :tenant and owner = :owner and " + which)
                .param("tenant", tenant).param("owner", requester).param("id", scope.conversationId())
                .query(Integer.class).single();
    }

    /** How many of the tenant's documents the scope selects. */
    public int count(String tenant, ExportScope scope) {
        ExportScope.Filter filter = scope.filter(tenant);
        return jdbc.sql("select count(*) from documents d where " + filter.where())
                .params(filter.params()).query(Integer.class).single();
    }

    /**
     * Those of {@code ids} that are not documents of {@code tenant} that {@code viewer} may see (another tenant's,
     * another user's private one, or none at all).
     */
    public List<UUID> unknown(String tenant, DocumentViewer viewer, List<UUID> ids) {
        return viewer.bind(jdbc.sql("""
                        select id from unnest(cast(:ids as uuid[])) as wanted(id)
                        where not exists (select 1 from documents d where d.id = wanted.id and d.tenant_id = :tenant"""
                        + viewer.sql() + ")"))
                .param("ids", ids.toArray(UUID[]::new)).param("tenant", tenant).query(UUID.class).list();
    }
}
