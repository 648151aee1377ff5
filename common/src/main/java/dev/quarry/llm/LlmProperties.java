package dev.quarry.llm;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code quarry.llm.*}: the chat providers' connections, the defaults, and the price table. Keys come only from
 * the environment ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY}, mapped in each
 * process's YAML); a provider without a key is installed but not configured, and the chat job then answers
 * extractively.
 *
 * @param openai         {@code quarry.llm.openai.*}
 * @param anthropic      {@code quarry.llm.anthropic.*}
 * @param gemini         {@code quarry.llm.gemini.*}
 * @param defaultModel   {@code provider/model} every tenant gets unless {@code tenantDefaults} names another;
 *                       blank: the default model of the first provider with a key (openai, anthropic, gemini)
 * @param tenantDefaults {@code provider/model} per tenant
 * @param prices         price entries that replace or add to {@link PriceTable#DEFAULTS}
 * @param statsWindow    how many recent completions of a model its latency percentiles are read from
 */
@ConfigurationProperties("quarry.llm")
public record LlmProperties(Provider openai, Provider anthropic, Provider gemini, String defaultModel,
                            Map<String, String> tenantDefaults, List<Price> prices, Integer statsWindow) {

    public LlmProperties {
        openai = (openai == null ? Provider.EMPTY : openai).withDefaults("https://api.openai.com/v1", "gpt-4o-mini");
        anthropic = (anthropic == null ? Provider.EMPTY : anthropic)
                .withDefaults("https://api.anthropic.com/v1", "claude-3-5-haiku-latest");
        gemini = (gemini == null ? Provider.EMPTY : gemini)
                .withDefaults("https://generativelanguage.googleapis.com/v1beta", "gemini-2.0-flash");
        defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel.trim();
        tenantDefaults = tenantDefaults == null ? Map.of() : Map.copyOf(tenantDefaults);
        prices = prices == null ? List.of() : List.copyOf(prices);
        statsWindow = statsWindow == null ? 200 : statsWindow;
        if (statsWindow < 1) throw new IllegalArgumentException("quarry.llm.stats-window must be at least 1");
    }

    /**
     * One provider's connection.
     *
     * @param apiKey         blank: the provider is not configured
     * @param baseUrl        the API's root, e.g. {@code https://api.openai.com/v1}; a proxy or a test server
     * @param model          the provider's default model
     * @param connectTimeout to open a connection
     * @param timeout        for one whole answer, streamed; a slower answer fails (transient)
     * @param maxTokens      the answer's length cap unless a model's registry configuration sets one
     */
    public record Provider(String apiKey, String baseUrl, String model, Duration connectTimeout, Duration timeout,
                           Integer maxTokens) {
        static final Provider EMPTY = new Provider(null, null, null, null, null, null);

        Provider withDefaults(String defaultBaseUrl, String defaultModel) {
            return new Provider(apiKey == null || apiKey.isBlank() ? null : apiKey.trim(),
                    baseUrl == null || baseUrl.isBlank() ? defaultBaseUrl : baseUrl.trim(),
                    model == null || model.isBlank() ? defaultModel : model.trim(),
                    connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout,
                    timeout == null ? Duration.ofSeconds(120) : timeout,
                    maxTokens == null ? 1024 : maxTokens);
        }

        public boolean hasKey() {
            return apiKey != null;
        }

        /** Never the key: this record is logged and shown by the extensions endpoint's callers' debuggers. */
        @Override
        public String toString() {
            return "Provider[baseUrl=" + baseUrl + ", model=" + model + ", key=" + (hasKey() ? "set" : "unset") + "]";
        }
    }

    /** USD per million tokens of one model. */
    public record Price(String provider, String model, BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    }
}
