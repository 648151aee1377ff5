package dev.quarry.api.search;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code quarry.search.*}.
 *
 * @param candidates how many chunks each leg contributes to the fusion
 * @param efSearch   HNSW candidate list size; at least {@code candidates}, or the index returns fewer
 * @param rrfK       the reciprocal rank fusion constant (60 in the original paper)
 */
@ConfigurationProperties("quarry.search")
record SearchProperties(Integer candidates, Integer efSearch, Integer rrfK) {

    SearchProperties {
        candidates = candidates == null ? 50 : candidates;
        efSearch = Math.max(efSearch == null ? 100 : efSearch, candidates);
        rrfK = rrfK == null ? 60 : rrfK;
    }
}
