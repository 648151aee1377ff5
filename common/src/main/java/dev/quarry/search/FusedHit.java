package dev.quarry.search;

import java.util.UUID;

/**
 * A chunk after fusion: each leg's score and rank (null where the leg did not return it), the fused
 * reciprocal-rank score, the decay and boost factors applied to it, and the final score that orders hits.
 */
public record FusedHit(long chunkId, UUID documentId, Double keywordScore, Integer keywordRank, Double vectorScore,
                Integer vectorRank, double fusedScore, double decay, double boost, double score) {
}
