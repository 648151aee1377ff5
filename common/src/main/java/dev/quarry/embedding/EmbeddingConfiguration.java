package dev.quarry.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** One embedding model for ingestion (worker) and query embedding (api), chosen by configuration. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddingProperties.class)
public class EmbeddingConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingConfiguration.class);

    @Bean
    EmbeddingModel embeddingModel(EmbeddingProperties properties) {
        EmbeddingProvider provider = properties.effectiveProvider();
        log.info("embedding provider: {}", provider);
        return switch (provider) {
            case MINILM_QUANTIZED -> new AllMiniLmL6V2QuantizedEmbeddingModel();
            case MINILM -> new AllMiniLmL6V2EmbeddingModel();
            case OPENAI -> openAi(properties.openai());
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

    @Bean
    EmbeddingCatalog embeddingCatalog(EmbeddingVersion version, EmbeddingModel model, EmbeddingProperties properties) {
        return new EmbeddingCatalog(version, model, properties);
    }

    static EmbeddingModel openAi(EmbeddingProperties.OpenAi openai) {
        if (!openai.configured()) {
            throw new IllegalStateException("quarry.embedding.provider=openai needs OPENAI_API_KEY");
        }
        var builder = OpenAiEmbeddingModel.builder()
                .apiKey(openai.apiKey())
                .modelName(openai.model())
                .dimensions(openai.dimensions())
                .timeout(Duration.ofSeconds(30))
                .maxRetries(0);
        if (openai.baseUrl() != null && !openai.baseUrl().isBlank()) builder.baseUrl(openai.baseUrl());
        return builder.build();
    }
}
