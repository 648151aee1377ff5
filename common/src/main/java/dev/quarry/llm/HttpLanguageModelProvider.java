package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;

import java.time.Duration;

/**
 * What the built-in providers share: a connection from {@code quarry.llm.<name>.*}, configured when it has a key,
 * and models that are a langchain4j streaming model with the registry's configuration applied, streamed through
 * {@link ProviderHttp}. A provider says only how to build its langchain4j model.
 */
public abstract class HttpLanguageModelProvider implements LanguageModelProvider {
    private final String name;
    protected final LlmProperties.Provider settings;

    protected HttpLanguageModelProvider(String name, LlmProperties.Provider settings) {
        this.name = name;
        this.settings = settings;
    }

    /**
     * @param config  the registry's configuration, checked
     * @param timeout the whole answer's bound (the configuration's, else the provider's)
     * @param http    the client to stream through
     */
    protected abstract StreamingChatModel build(String model, ModelConfig config, Duration timeout,
                                                HttpClientBuilder http);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean configured() {
        return settings.hasKey();
    }

    @Override
    public final String defaultModel() {
        return settings.model();
    }

    @Override
    public final LanguageModel model(String model, JsonNode config) {
        ModelConfig parsed = ModelConfig.parse(config);
        Duration timeout = parsed.timeout() != null ? parsed.timeout() : settings.timeout();
        StreamingChatModel chat = build(model, parsed, timeout, ProviderHttp.client(settings.connectTimeout(), timeout));
        return new StreamingLanguageModel(name, model, chat, timeout);
    }

    /** The answer's length cap: the configuration's, else the provider's. */
    protected final int maxTokens(ModelConfig config) {
        return config.maxTokens() != null ? config.maxTokens() : settings.maxTokens();
    }
}
