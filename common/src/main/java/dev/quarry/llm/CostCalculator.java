package dev.quarry.llm;

import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices one answer from the tokens its {@link Completion} reports and the {@link PriceTable}. The chat job
 * calls it after each completion and stores the {@link RequestCost} with the answer, for budgets and analytics.
 */
@Component
public class CostCalculator {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final int SCALE = 10;
    private final PriceTable prices;

    public CostCalculator(PriceTable prices) {
        this.prices = prices;
    }

    public RequestCost cost(String provider, String model, Completion completion) {
        long input = Math.max(0, completion.inputTokens());
        long output = Math.max(0, completion.outputTokens());
        return prices.find(provider, model)
                .map(price -> new RequestCost(provider, model, input, output,
                        perMillion(input, price.inputPerMillion()), perMillion(output, price.outputPerMillion()), true))
                .orElseGet(() -> new RequestCost(provider, model, input, output,
                        BigDecimal.ZERO.setScale(SCALE), BigDecimal.ZERO.setScale(SCALE), false));
    }

    /** The cost of {@code model}'s {@code completion}. */
    public RequestCost cost(LanguageModel model, Completion completion) {
        return cost(model.provider(), model.model(), completion);
    }

    private static BigDecimal perMillion(long tokens, BigDecimal pricePerMillion) {
        return pricePerMillion.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, SCALE, RoundingMode.HALF_UP);
    }
}
