package dev.quarry.embedding.usage;

import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@link EmbeddingUsageRecorder} of every embedding version, not only the configured one: a reindex
 * embeds with its target version and a search with the tenant's active version, and each must be billed at
 * its own model's price. In-process versions cost 0; an OpenAI version costs its model's price from
 * {@link EmbeddingPrices} (0 when none is configured).
 */
public class EmbeddingUsageLedger {
    private final EmbeddingUsageRecorder configured;
    private final String configuredTag;
    private final Function<String, Optional<String>> openAiModelOf;
    private final EmbeddingPrices prices;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, EmbeddingUsageRecorder> recorders = new ConcurrentHashMap<>();

    /**
     * @param openAiModelOf the OpenAI model a version tag names, if any (the catalog knows the tag syntax; this
     *                      package takes it as a function so that it does not depend on its parent)
     */
    public EmbeddingUsageLedger(EmbeddingUsageRecorder configured, String configuredTag,
                                Function<String, Optional<String>> openAiModelOf, EmbeddingPrices prices,
                                JdbcTemplate jdbc, Clock clock) {
        this.configured = configured;
        this.configuredTag = configuredTag;
        this.openAiModelOf = openAiModelOf;
        this.prices = prices;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The recorder of the version tagged {@code versionTag}. */
    public EmbeddingUsageRecorder recorderFor(String versionTag) {
        if (versionTag.equals(configuredTag)) return configured;
        return recorders.computeIfAbsent(versionTag, tag -> openAiModelOf.apply(tag)
                .map(model -> new EmbeddingUsageRecorder(jdbc, model, tag, priceOf(model), clock))
                .orElseGet(() -> new EmbeddingUsageRecorder(jdbc, tag.replaceFirst("@.*", ""), tag, BigDecimal.ZERO,
                        clock)));
    }

    private BigDecimal priceOf(String model) {
        BigDecimal price = prices.perMillionTokens(model);
        return price == null ? BigDecimal.ZERO : price;
    }
}
