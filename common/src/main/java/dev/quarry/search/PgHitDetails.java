package dev.quarry.search;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Text, document fields and the highlighted snippet, fetched only for the k hits that survive fusion:
 * ts_headline is the most expensive function in a search and runs once per returned hit, not per
 * candidate. The snippet is HTML: the chunk's own text is escaped first, then matches are wrapped in
 * {@code <b>...</b>}, so a client can render it without opening itself to markup from a document.
 * <p>
 * A hit's text, and the text its snippet is cut from, are at most {@link #MAX_HIT_CHARS} characters, so a
 * response's size is bounded by {@code k}, whatever was stored: chunks written before the ingest bounded
 * their characters can hold megabytes, and ts_headline returns a whole word however long it is.
 */
@Repository
public class PgHitDetails {
    /** Twice the ingest's default chunk bound ({@code quarry.ingest.chunk-max-chars}): a bounded chunk is never cut. */
    public static final int MAX_HIT_CHARS = 4000;
    private static final String SQL = """
            with q as (
                select string_agg(quarry_lexeme_literal(l), ' | ')::tsquery as query
                from unnest(tsvector_to_array(to_tsvector('english', :positive))) as l
            )
            select c.id, c.document_id, c.ordinal, left(c.text, :maxChars) as text, c.section_path, d.title, d.collection, d.source, d.tags,
                   d.media_type, d.reliability, d.created_at, d.published_at,
                   case when q.query is null
                        then ts_headline('english', escaped.text, to_tsquery('english', ''), :noMatchOptions)
                        else ts_headline('english', escaped.text, q.query, :options)
                   end as snippet
            from chunks c
                 join documents d on d.id = c.document_id and d.tenant_id = c.tenant_id
                 cross join q
                 cross join lateral (select replace(replace(replace(left(c.text, :maxChars), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
                                     as text) escaped
            where c.tenant_id = :tenant and c.id = any(cast(:ids as bigint[]))""";
    private static final String OPTIONS =
            "StartSel=<b>, StopSel=</b>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"";
    // With nothing to highlight (a query of stop words in vector mode), the opening words of the chunk.
    private static final String NO_MATCH_OPTIONS = "StartSel=<b>, StopSel=</b>, MaxWords=35, MinWords=15";

    private final JdbcClient jdbc;

    PgHitDetails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Details(long chunkId, UUID documentId, int ordinal, String text, String sectionPath, String title, String collection,
                   String source, List<String> tags, String mediaType, String reliability, Instant createdAt,
                   Instant publishedAt, String snippet) {
    }

    /** Details of the tenant's chunks among {@code chunkIds}, by chunk id. */
    Map<Long, Details> load(String tenant, List<Long> chunkIds, KeywordQuery query) {
        if (chunkIds.isEmpty()) return Map.of();
        Map<Long, Details> details = new HashMap<>();
        jdbc.sql(SQL)
                .param("tenant", tenant)
                .param("ids", chunkIds.toArray(Long[]::new))
                .param("positive", query.positive())
                .param("maxChars", MAX_HIT_CHARS)
                .param("options", OPTIONS)
                .param("noMatchOptions", NO_MATCH_OPTIONS)
                .query(PgHitDetails::map)
                .list()
                .forEach(d -> details.put(d.chunkId(), d));
        return details;
    }

    private static Details map(ResultSet rs, int row) throws SQLException {
        Array tags = rs.getArray("tags");
        Timestamp published = rs.getTimestamp("published_at");
        return new Details(rs.getLong("id"), rs.getObject("document_id", UUID.class), rs.getInt("ordinal"),
                rs.getString("text"), rs.getString("section_path"), rs.getString("title"), rs.getString("collection"), rs.getString("source"),
                tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()), rs.getString("media_type"),
                rs.getString("reliability"), rs.getTimestamp("created_at").toInstant(),
                published == null ? null : published.toInstant(), rs.getString("snippet"));
    }
}
