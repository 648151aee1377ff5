package dev.quarry.search;

/**
 * A validated {@code GET /api/v1/search}.
 *
 * @param feedback hybrid only: how many of the keyword leg's best chunks feed back into the vector query; 0 for none
 */
public record SearchRequest(String q, int k, SearchMode mode, SearchFilters filters, FusionWeights weights, int feedback) {
}
