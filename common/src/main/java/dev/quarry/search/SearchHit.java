package dev.quarry.search;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One chunk in the final ranking. A leg that did not return the chunk leaves its score and rank null.
 *
 * @param sectionPath  the headings the chunk sits under ({@code Guide > Install > Linux}); null where the
 *                     document has none
 * @param snippet      HTML: the chunk's text escaped, query words wrapped in {@code <b>...</b>}
 * @param score        fusedScore × decay × boost; orders the hits
 * @param fusedScore   weighted reciprocal rank fusion of the legs' ranks
 * @param keywordScore BM25 of the chunk against the query
 * @param vectorScore  cosine similarity between the chunk's and the query's embeddings
 * @param decay        0.5^(age / half-life) of the document's date, 1 without decay
 * @param boost        the reliability factor applied, 1 without boost
 */
public record SearchHit(UUID documentId, String title, long chunkId, int ordinal, String text, String sectionPath,
                 String snippet,
                 String collection, String source, List<String> tags, String mediaType, String reliability,
                 Instant createdAt, Instant publishedAt, double score, double fusedScore, Double keywordScore,
                 Integer keywordRank, Double vectorScore, Integer vectorRank, double decay, double boost) {

    static SearchHit of(FusedHit hit, PgHitDetails.Details d) {
        return new SearchHit(d.documentId(), d.title(), d.chunkId(), d.ordinal(), d.text(), d.sectionPath(), d.snippet(),
                d.collection(), d.source(), d.tags(), d.mediaType(), d.reliability(), d.createdAt(),
                d.publishedAt(), hit.score(), hit.fusedScore(), hit.keywordScore(), hit.keywordRank(),
                hit.vectorScore(), hit.vectorRank(), hit.decay(), hit.boost());
    }
}
