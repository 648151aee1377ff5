package dev.quarry.embedding.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code quarry.embedding.prices.<model>}: USD per million input tokens, by model name. Defaults are OpenAI's
 * list prices; set e.g. {@code quarry.embedding.prices.text-embedding-3-small=0.01} for a negotiated or batch
 * price. A remote model without a price costs 0 and is logged at start; in-process models always cost 0.
 */
@ConfigurationProperties("quarry.embedding")
public record EmbeddingPrices(Map<String, BigDecimal> prices) {
    static final Map<String, BigDecimal> DEFAULTS = Map.of(
            "text-embedding-3-small", new BigDecimal("0.02"),
            "text-embedding-3-large", new BigDecimal("0.13"),
            "text-embedding-ada-002", new BigDecimal("0.10"));

    public EmbeddingPrices {
        Map<String, BigDecimal> merged = new HashMap<>(DEFAULTS);
        if (prices != null) merged.putAll(prices);
        prices = Map.copyOf(merged);
    }

    /** USD per million tokens of {@code model}, or null when none is configured. */
    public BigDecimal perMillionTokens(String model) {
        return prices.get(model);
    }
}
