package dev.quarry.search;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.search.*}. The fusion defaults (rrfK 60, keyword weight 0.85, no feedback) were chosen on three
 * collections, Cranfield, MED and CACM: the best worst case against both legs and plain RRF (0.997), ties
 * broken by the mean hybrid / Lucene; NPL and LISA report (BENCHMARKS.md, "Retrieval on five collections").
 * The earlier Cranfield-only defaults (rrfK 5, keyword weight 0.9, feedback from 3 chunks) gained 4 % on
 * Cranfield and lost 2-4 % on MED and CACM.
 *
 * @param candidates            how many chunks each leg contributes to the fusion (at least k)
 * @param efSearch              HNSW candidate list size; raised to the leg's candidates when smaller
 * @param rrfK                  the reciprocal rank fusion constant
 * @param keywordWeight         default weight of the keyword leg in the fusion
 * @param vectorWeight          default weight of the vector leg in the fusion
 * @param bm25K1                BM25 term-frequency saturation
 * @param bm25B                 BM25 length normalisation
 * @param keywordBudget         chunks the rarest query words may select before the keyword leg narrows
 *                              its candidates (see PgKeywordLeg)
 * @param keywordCandidateLimit hard cap on the chunks the keyword leg scores
 * @param statsCheckInterval    how often a tenant's statistics are checked for staleness, which is also
 *                              the shortest time between two refreshes
 * @param legThreads            threads running keyword legs while the request thread embeds the query
 * @param feedbackHits          hybrid only: how many of the keyword leg's best chunks are fed back into
 *                              the vector query (0, the default, turns feedback off: it helped Cranfield
 *                              and cost MED and CACM 3 %; a request may still ask for it)
 * @param feedbackWeight        hybrid only: the weight of their mean embedding added to the query's
 * @param phraseBoost           keyword leg: a chunk holding every quoted phrase of the query scores
 *                              {@code 1 + phraseBoost} times its BM25 (quotes boost, they do not filter)
 */
@ConfigurationProperties("quarry.search")
public record SearchProperties(Integer candidates, Integer efSearch, Double rrfK, Double keywordWeight,
                        Double vectorWeight, Double bm25K1, Double bm25B, Integer keywordBudget,
                        Integer keywordCandidateLimit, Duration statsCheckInterval, Integer legThreads,
                        Integer feedbackHits, Double feedbackWeight, Double phraseBoost) {

    public SearchProperties {
        candidates = candidates == null ? 100 : candidates;
        efSearch = Math.max(efSearch == null ? 100 : efSearch, candidates);
        rrfK = rrfK == null ? 60.0 : rrfK;
        keywordWeight = keywordWeight == null ? 0.85 : keywordWeight;
        vectorWeight = vectorWeight == null ? 1.0 : vectorWeight;
        bm25K1 = bm25K1 == null ? 1.2 : bm25K1;
        bm25B = bm25B == null ? 0.75 : bm25B;
        keywordBudget = keywordBudget == null ? 1000 : keywordBudget;
        keywordCandidateLimit = keywordCandidateLimit == null ? 2000 : keywordCandidateLimit;
        statsCheckInterval = statsCheckInterval == null ? Duration.ofSeconds(5) : statsCheckInterval;
        legThreads = legThreads == null ? 8 : legThreads;
        feedbackHits = feedbackHits == null ? 0 : feedbackHits;
        feedbackWeight = feedbackWeight == null ? 0.5 : feedbackWeight;
        phraseBoost = phraseBoost == null ? 0.5 : phraseBoost;
    }
}
