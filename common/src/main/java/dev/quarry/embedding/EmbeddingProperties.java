package dev.quarry.embedding;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code quarry.embedding.*}. {@code provider=auto} picks OpenAI when an API key is configured and the
 * in-process quantized all-MiniLM-L6-v2 otherwise. {@code version} overrides the version tag stored on
 * every chunk ({@code QUARRY_EMBEDDING_VERSION}).
 */
@ConfigurationProperties("quarry.embedding")
public record EmbeddingProperties(String provider, String version, OpenAi openai) {

    public EmbeddingProperties {
        provider = provider == null || provider.isBlank() ? "auto" : provider;
        openai = openai == null ? new OpenAi(null, null, null, null) : openai;
    }

    public record OpenAi(String apiKey, String baseUrl, String model, Integer dimensions) {
        public OpenAi {
            model = model == null ? "text-embedding-3-small" : model;
            dimensions = dimensions == null ? EmbeddingProvider.DIMENSIONS : dimensions;
        }

        boolean configured() {
            return apiKey != null && !apiKey.isBlank();
        }
    }

    EmbeddingProvider effectiveProvider() {
        if (!provider.equals("auto")) return EmbeddingProvider.fromName(provider);
        return openai.configured() ? EmbeddingProvider.OPENAI : EmbeddingProvider.MINILM_QUANTIZED;
    }
}
