package dev.quarry.llm;

import java.math.BigDecimal;

/**
 * What one answer cost: the tokens the provider reported and their price in USD (scale 10, as the budgets'
 * {@code cost_usd} columns). {@code priced} is false when the price table has no entry for the model; the
 * costs are then zero, and the tokens still count.
 */
public record RequestCost(String provider, String model, long inputTokens, long outputTokens,
                          BigDecimal inputCostUsd, BigDecimal outputCostUsd, boolean priced) {

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public BigDecimal totalCostUsd() {
        return inputCostUsd.add(outputCostUsd);
    }
}
