package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One row of the model registry, with the performance figures the system recorded for it. */
public record RegisteredModel(String provider, String model, JsonNode config, boolean enabled, Instant createdAt,
                              Instant updatedAt, Stats stats) {

    /**
     * @param calls        completions attempted since registration, failures included
     * @param errorRate    failures / calls, 0 before the first call
     * @param latencyP50Ms median time of a whole successful answer over the last {@code quarry.llm.stats-window}
     *                     ones, null before the first
     * @param latencyP95Ms as the median, the 95th percentile
     */
    public record Stats(long calls, long failures, double errorRate, long inputTokens, long outputTokens,
                        Double latencyP50Ms, Double latencyP95Ms, Instant lastUsedAt, String lastError) {
    }
}
