package dev.quarry.search;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal rank fusion, then time decay and reliability boost. Ranks, not raw scores, are
 * fused: BM25 and cosine similarity live on unrelated scales, and ranks need no calibration. Decay and
 * boost reorder only the chunks the legs returned; they do not pull in chunks neither leg found.
 */
public final class Fusion {
    private Fusion() {
    }

    /**
     * @param collectionHalfLives the tenant's per-collection default half-lives, used for hits whose
     *                            collection has one when the request names none
     */
    static List<FusedHit> fuse(List<LegHit> keyword, List<LegHit> vector, FusionWeights weights,
                               Map<String, Duration> collectionHalfLives, Instant now, int k) {
        Map<Long, LegHit[]> byChunk = new LinkedHashMap<>();
        for (LegHit hit : keyword) byChunk.computeIfAbsent(hit.chunkId(), id -> new LegHit[2])[0] = hit;
        for (LegHit hit : vector) byChunk.computeIfAbsent(hit.chunkId(), id -> new LegHit[2])[1] = hit;
        List<FusedHit> fused = new ArrayList<>(byChunk.size());
        for (LegHit[] legs : byChunk.values()) {
            LegHit kw = legs[0];
            LegHit vec = legs[1];
            LegHit any = kw != null ? kw : vec;
            double rrf = contribution(weights.keywordWeight(), weights.rrfK(), kw)
                    + contribution(weights.vectorWeight(), weights.rrfK(), vec);
            double decay = decay(weights.halfLife() != null ? weights.halfLife()
                    : collectionHalfLives.get(any.collection()), any.dated(), now);
            double boost = weights.reliabilityBoost().getOrDefault(any.reliability(), 1.0);
            fused.add(new FusedHit(any.chunkId(), any.documentId(),
                    kw == null ? null : kw.score(), kw == null ? null : kw.rank(),
                    vec == null ? null : vec.score(), vec == null ? null : vec.rank(),
                    rrf, decay, boost, rrf * decay * boost));
        }
        fused.sort(Comparator.comparingDouble(FusedHit::score).reversed().thenComparingLong(FusedHit::chunkId));
        return fused.size() > k ? List.copyOf(fused.subList(0, k)) : fused;
    }

    private static double contribution(double weight, double rrfK, LegHit hit) {
        return hit == null ? 0 : weight / (rrfK + hit.rank());
    }

    /** 0.5^(age / half-life); a date in the future counts as now, so it never earns more than 1. */
    static double decay(Duration halfLife, Instant dated, Instant now) {
        if (halfLife == null || halfLife.isZero() || dated == null) return 1;
        double ageSeconds = Math.max(0, Duration.between(dated, now).toMillis() / 1000.0);
        return Math.pow(0.5, ageSeconds / (halfLife.toMillis() / 1000.0));
    }
}
