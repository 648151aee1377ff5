package dev.quarry.embedding;

import java.util.Arrays;

/** The embedding models Quarry can run. All produce {@link #DIMENSIONS}-dimensional vectors. */
public enum EmbeddingProvider {
    MINILM_QUANTIZED("minilm-q", "all-minilm-l6-v2-q@1"),
    MINILM("minilm", "all-minilm-l6-v2@1"),
    OPENAI("openai", null);

    public static final int DIMENSIONS = 384;
    private final String configName;
    private final String defaultVersion;

    EmbeddingProvider(String configName, String defaultVersion) {
        this.configName = configName;
        this.defaultVersion = defaultVersion;
    }

    String defaultVersion(EmbeddingProperties.OpenAi openai) {
        return this == OPENAI ? openai.model() + "-" + openai.dimensions() + "@1" : defaultVersion;
    }

    static EmbeddingProvider fromName(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("quarry.embedding.provider must be one of "
                        + "auto, minilm-q, minilm, openai; was " + name));
    }
}
