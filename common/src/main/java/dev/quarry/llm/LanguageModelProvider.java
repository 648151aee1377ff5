package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The extension point for language-model providers: one Spring bean per provider (OpenAI, Anthropic and Gemini
 * are built in, in this package's sub-packages). A new provider is one class implementing this port, in a
 * package the application scans; {@code GET /api/v1/admin/extensions} lists what is installed. Providers are
 * found when the process starts: adding one needs a restart, there is no hot reload inside a running JVM.
 */
public interface LanguageModelProvider {
    /** The stable, lower-case name the registry and the API use: {@code openai}, {@code anthropic}, ... */
    String name();

    /** Whether it can be called: it has its key (or needs none). Unconfigured, its models resolve to empty. */
    boolean configured();

    /** The model used when a tenant's default names only this provider. */
    String defaultModel();

    /**
     * Checks a registry configuration before it is stored.
     *
     * @throws InvalidModelConfigException when this provider would not accept it
     */
    default void validate(JsonNode config) {
        ModelConfig.parse(config);
    }

    /** The model {@code name} with its registry configuration; called only when {@link #configured()}. */
    LanguageModel model(String name, JsonNode config);
}
