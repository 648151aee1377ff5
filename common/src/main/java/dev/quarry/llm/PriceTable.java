package dev.quarry.llm;

import dev.quarry.llm.LlmProperties.Price;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * USD per million input and output tokens, per provider and model. The defaults are the providers' public list
 * prices as Quarry last read them (standard tier, no batch or cache discounts): check them against the
 * providers' price pages before relying on the costs, and override or add with {@code quarry.llm.prices}
 * (README "Language models"). A model without a price costs nothing and is reported as unpriced.
 */
@Component
public class PriceTable {
    static final List<Price> DEFAULTS = List.of(
            price("openai", "gpt-4o-mini", "0.15", "0.60"),
            price("openai", "gpt-4o", "2.50", "10.00"),
            price("openai", "gpt-4.1-mini", "0.40", "1.60"),
            price("openai", "gpt-4.1", "2.00", "8.00"),
            price("anthropic", "claude-3-5-haiku-latest", "0.80", "4.00"),
            price("anthropic", "claude-sonnet-4-0", "3.00", "15.00"),
            price("gemini", "gemini-2.0-flash", "0.10", "0.40"),
            price("gemini", "gemini-2.5-flash", "0.30", "2.50"),
            price("gemini", "gemini-2.5-pro", "1.25", "10.00"));

    private final Map<String, Price> prices;

    public PriceTable(LlmProperties properties) {
        Map<String, Price> merged = new LinkedHashMap<>();
        for (Price price : DEFAULTS) merged.put(key(price.provider(), price.model()), price);
        for (Price price : properties.prices()) {
            if (price.provider() == null || price.model() == null || price.inputPerMillion() == null
                    || price.outputPerMillion() == null || price.inputPerMillion().signum() < 0
                    || price.outputPerMillion().signum() < 0) {
                throw new IllegalArgumentException("quarry.llm.prices: each entry needs provider, model and "
                        + "non-negative inputPerMillion and outputPerMillion, got " + price);
            }
            merged.put(key(price.provider(), price.model()), price);
        }
        this.prices = Map.copyOf(merged);
    }

    public Optional<Price> find(String provider, String model) {
        return Optional.ofNullable(prices.get(key(provider, model)));
    }

    /** Every price in force, defaults and configured ones together. */
    public List<Price> all() {
        return prices.values().stream()
                .sorted((a, b) -> key(a.provider(), a.model()).compareTo(key(b.provider(), b.model()))).toList();
    }

    private static String key(String provider, String model) {
        return provider + "/" + model;
    }

    private static Price price(String provider, String model, String input, String output) {
        return new Price(provider, model, new BigDecimal(input), new BigDecimal(output));
    }
}
