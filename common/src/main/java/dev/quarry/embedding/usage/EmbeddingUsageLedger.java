package dev.quarry.embedding.usage;

import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link EmbeddingUsageRecorder} of every embedding version, not only the configured one: a reindex
 * embeds with its target version and a search with the tenant's active version, and each must be billed at
 * its own model's price. In-process versions cost 0; an OpenAI version costs its model's price from
 * {@link EmbeddingPrices} (0 when none is configured).
 */
public class EmbeddingUsageLedger {
    private final EmbeddingUsageRecorder configured;
    private final String configuredTag;
    private final EmbeddingCatalog catalog;
    private final EmbeddingPrices prices;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, EmbeddingUsageRecorder> recorders = new ConcurrentHashMap<>();

    public EmbeddingUsageLedger(EmbeddingUsageRecorder configured, String configuredTag, EmbeddingCatalog catalog,
                                EmbeddingPrices prices, JdbcTemplate jdbc, Clock clock) {
        this.configured = configured;
        this.configuredTag = configuredTag;
        this.catalog = catalog;
        this.prices = prices;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public EmbeddingUsageRecorder recorderFor(EmbeddingVersion version) {
        if (version.tag().equals(configuredTag)) return configured;
        return recorders.computeIfAbsent(version.tag(), tag -> catalog.openAiModel(tag)
                .map(model -> new EmbeddingUsageRecorder(jdbc, model, tag, priceOf(model), clock))
                .orElseGet(() -> new EmbeddingUsageRecorder(jdbc, tag.replaceFirst("@.*", ""), tag, BigDecimal.ZERO,
                        clock)));
    }

    private BigDecimal priceOf(String model) {
        BigDecimal price = prices.perMillionTokens(model);
        return price == null ? BigDecimal.ZERO : price;
    }
}
