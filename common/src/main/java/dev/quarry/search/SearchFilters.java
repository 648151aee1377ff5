package dev.quarry.search;

import dev.quarry.documents.DocumentViewer;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Document filters, rendered as SQL conditions on {@code documents d} so that both legs apply them inside
 * their own query: the keyword leg before it caps its candidates, the vector leg while HNSW's iterative
 * scan walks the graph. Filtering after retrieval would starve results whenever a filter is selective.
 *
 * @param tags        a hit's document must carry every one of these tags
 * @param createdFrom inclusive
 * @param createdTo   exclusive
 * @param uploadedBy  only documents this subject uploaded ({@code scope=mine}), or null for the tenant's all
 * @param viewer      whose search it is: a user's finds the shared documents and their own private ones
 */
public record SearchFilters(String collection, List<String> tags, String source, String mediaType, Instant createdFrom,
                     Instant createdTo, String uploadedBy, DocumentViewer viewer) {
    public static final SearchFilters NONE = new SearchFilters(null, List.of(), null, null, null, null, null,
            DocumentViewer.ALL);

    public SearchFilters {
        tags = tags == null ? List.of() : List.copyOf(tags);
        viewer = viewer == null ? DocumentViewer.ALL : viewer;
    }

    /** Only the documents of {@code collection} (all of them when null) that {@code viewer} may see. */
    public static SearchFilters of(String collection, DocumentViewer viewer) {
        return new SearchFilters(collection, List.of(), null, null, null, null, null, viewer);
    }

    /** Conditions to append to a WHERE clause that already scopes {@code d} to the tenant. */
    String sql() {
        StringBuilder sql = new StringBuilder();
        if (collection != null) sql.append(" and d.collection = :collection");
        if (!tags.isEmpty()) sql.append(" and d.tags @> cast(:tags as text[])");
        if (source != null) sql.append(" and d.source = :source");
        if (mediaType != null) sql.append(" and d.media_type = :mediaType");
        if (createdFrom != null) sql.append(" and d.created_at >= :createdFrom");
        if (createdTo != null) sql.append(" and d.created_at < :createdTo");
        if (uploadedBy != null) sql.append(" and d.uploaded_by = :uploadedBy");
        sql.append(viewer.sql());
        return sql.toString();
    }

    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        if (collection != null) statement = statement.param("collection", collection);
        if (!tags.isEmpty()) statement = statement.param("tags", tags.toArray(String[]::new));
        if (source != null) statement = statement.param("source", source);
        if (mediaType != null) statement = statement.param("mediaType", mediaType);
        if (createdFrom != null) statement = statement.param("createdFrom", utc(createdFrom));
        if (createdTo != null) statement = statement.param("createdTo", utc(createdTo));
        if (uploadedBy != null) statement = statement.param("uploadedBy", uploadedBy);
        return viewer.bind(statement);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
