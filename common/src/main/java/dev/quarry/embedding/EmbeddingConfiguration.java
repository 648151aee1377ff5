package dev.quarry.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.quarry.embedding.openai.OpenAiClientProperties;
import dev.quarry.embedding.openai.ResilientOpenAiEmbeddingModel;
import dev.quarry.embedding.usage.EmbeddingPrices;
import dev.quarry.embedding.usage.EmbeddingUsageLedger;
import dev.quarry.embedding.usage.EmbeddingUsageRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Clock;

/**
 * One embedding model for ingestion (worker) and query embedding (api), chosen by configuration, and the one
 * {@link Embedder} of stored text. This package wires its sub-packages ({@code openai}, {@code usage}); they
 * never refer back to it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EmbeddingProperties.class, OpenAiClientProperties.class, EmbeddingPrices.class})
public class EmbeddingConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingConfiguration.class);

    @Bean
    EmbeddingModel embeddingModel(EmbeddingProperties properties, OpenAiClientProperties client,
                                  ObjectProvider<MeterRegistry> meters) {
        EmbeddingProvider provider = properties.effectiveProvider();
        log.info("embedding provider: {}", provider);
        return switch (provider) {
            case MINILM_QUANTIZED -> new AllMiniLmL6V2QuantizedEmbeddingModel();
            case MINILM -> new AllMiniLmL6V2EmbeddingModel();
            case OPENAI -> openAi(properties.openai(), client, meters.getIfAvailable());
        };
    }

    @Bean
    EmbeddingVersion embeddingVersion(EmbeddingProperties properties) {
        EmbeddingProvider provider = properties.effectiveProvider();
        String tag = properties.version() == null || properties.version().isBlank()
                ? provider.defaultVersion(properties.openai()) : properties.version();
        int dimensions = provider == EmbeddingProvider.OPENAI ? properties.openai().dimensions()
                : EmbeddingProvider.DIMENSIONS;
        return new EmbeddingVersion(tag, dimensions);
    }

    /** Usage is recorded under the model's name and this process's version tag; in-process models cost 0. */
    @Bean
    EmbeddingUsageRecorder embeddingUsageRecorder(JdbcTemplate jdbc, EmbeddingProperties properties,
                                                  EmbeddingVersion version, EmbeddingPrices prices) {
        EmbeddingProvider provider = properties.effectiveProvider();
        if (provider != EmbeddingProvider.OPENAI) {
            String model = provider.defaultVersion(properties.openai()).replaceFirst("@.*", "");
            return new EmbeddingUsageRecorder(jdbc, model, version.tag(), BigDecimal.ZERO, Clock.systemUTC());
        }
        String model = properties.openai().model();
        BigDecimal price = prices.perMillionTokens(model);
        if (price == null) log.warn("no price for embedding model {} (quarry.embedding.prices); its cost is recorded as 0", model);
        return new EmbeddingUsageRecorder(jdbc, model, version.tag(), price == null ? BigDecimal.ZERO : price,
                Clock.systemUTC());
    }

    @Bean
    EmbeddingUsageLedger embeddingUsageLedger(EmbeddingUsageRecorder configured, EmbeddingVersion version,
                                              EmbeddingCatalog catalog, EmbeddingPrices prices, JdbcTemplate jdbc) {
        return new EmbeddingUsageLedger(configured, version.tag(), catalog::openAiModel, prices, jdbc, Clock.systemUTC());
    }

    /**
     * Lazy, like the embedder: only the worker embeds stored text, so the API never starts the drain thread.
     * {@code quarry.ingest.model-batch-size}: segments per model call once the requests of concurrent jobs are
     * coalesced (named after ingest, its first user; reindex shares it).
     */
    @Bean(destroyMethod = "close")
    @Lazy
    EmbeddingBatcher embeddingBatcher(@Value("${quarry.ingest.model-batch-size:64}") int modelBatchSize,
                                      ObjectProvider<MeterRegistry> meters) {
        return new EmbeddingBatcher(modelBatchSize, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    @Lazy
    Embedder embedder(EmbeddingBatcher batcher, PgEmbeddingCache cache, EmbeddingCatalog catalog,
                      EmbeddingUsageLedger usage, EmbeddingCalls calls, ObjectProvider<MeterRegistry> meters) {
        return new Embedder(batcher, cache, catalog, usage, calls, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    EmbeddingCalls embeddingCalls(EmbeddingCatalog catalog, ObjectProvider<MeterRegistry> meters,
                                  ObjectProvider<Tracer> tracer) {
        return new EmbeddingCalls(catalog, meters.getIfAvailable(SimpleMeterRegistry::new),
                tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    EmbeddingCatalog embeddingCatalog(EmbeddingVersion version, EmbeddingModel model, EmbeddingProperties properties,
                                      OpenAiClientProperties client, ObjectProvider<MeterRegistry> meters) {
        return new EmbeddingCatalog(version, model, properties,
                openai -> openAi(openai, client, meters.getIfAvailable()));
    }

    private static EmbeddingModel openAi(EmbeddingProperties.OpenAi openai, OpenAiClientProperties client,
                                         MeterRegistry meters) {
        if (!openai.configured()) {
            throw new IllegalStateException("quarry.embedding.provider=openai needs OPENAI_API_KEY");
        }
        String baseUrl = openai.baseUrl() == null || openai.baseUrl().isBlank()
                ? "https://api.openai.com/v1" : openai.baseUrl();
        return ResilientOpenAiEmbeddingModel.create(openai.apiKey(), baseUrl, openai.model(), openai.dimensions(),
                client, meters);
    }
}
