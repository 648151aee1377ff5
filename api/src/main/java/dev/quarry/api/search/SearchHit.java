package dev.quarry.api.search;

import java.util.UUID;

/**
 * One chunk in the fused ranking. {@code score} is the reciprocal-rank fusion of both legs; a leg that
 * did not find the chunk leaves its score and rank null.
 *
 * @param keywordScore ts_rank_cd of the chunk against the query
 * @param vectorScore  cosine similarity between the chunk's and the query's embeddings
 */
record SearchHit(UUID documentId, String title, long chunkId, int ordinal, String text, double score,
                 Double keywordScore, Double vectorScore, Integer keywordRank, Integer vectorRank) {
}
