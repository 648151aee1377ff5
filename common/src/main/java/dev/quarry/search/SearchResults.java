package dev.quarry.search;

import java.util.List;

/** {@code GET /api/v1/search}: the hits, best first, and the embedding version they were searched in. */
public record SearchResults(String query, int k, String mode, String collection, String embeddingVersion,
                     List<SearchHit> hits) {
}
