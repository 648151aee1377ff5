package dev.quarry.embedding.usage;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingPricesTest {

    @Test
    void openai_list_prices_are_the_defaults_and_configuration_overrides_or_adds() {
        var prices = new EmbeddingPrices(Map.of("text-embedding-3-small", new BigDecimal("0.01"),
                "my-model", new BigDecimal("0.5")));

        assertThat(prices.perMillionTokens("text-embedding-3-small")).isEqualByComparingTo("0.01");
        assertThat(prices.perMillionTokens("text-embedding-3-large")).isEqualByComparingTo("0.13");
        assertThat(prices.perMillionTokens("text-embedding-ada-002")).isEqualByComparingTo("0.10");
        assertThat(prices.perMillionTokens("my-model")).isEqualByComparingTo("0.5");
        assertThat(prices.perMillionTokens("unknown")).isNull();
        assertThat(new EmbeddingPrices(null).perMillionTokens("text-embedding-3-small")).isEqualByComparingTo("0.02");
    }

    @Test
    void cost_is_tokens_times_the_price_per_million_without_rounding_small_calls_away() {
        var recorder = new EmbeddingUsageRecorder(null, "text-embedding-3-small", "v", new BigDecimal("0.02"),
                Clock.systemUTC());

        assertThat(recorder.cost(1_234_567)).isEqualByComparingTo("0.02469134");
        assertThat(recorder.cost(1)).isEqualByComparingTo("0.00000002");
    }
}
