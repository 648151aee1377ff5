package dev.quarry.search;

import java.time.Duration;
import java.util.Map;

/**
 * How the legs' rankings become one. A chunk at rank r in a leg earns weight / (rrfK + r) from it
 * (weighted reciprocal rank fusion); the sum is then multiplied by the time decay and the reliability boost.
 *
 * @param halfLife         the request's half-life: null falls back to the collection's default, zero
 *                         turns decay off
 * @param reliabilityBoost a factor per reliability tag; tags not listed keep 1
 */
public record FusionWeights(double keywordWeight, double vectorWeight, double rrfK, Duration halfLife,
                     Map<String, Double> reliabilityBoost) {

    public FusionWeights {
        reliabilityBoost = reliabilityBoost == null ? Map.of() : Map.copyOf(reliabilityBoost);
    }
}
