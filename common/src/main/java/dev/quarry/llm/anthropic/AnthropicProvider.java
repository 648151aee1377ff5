package dev.quarry.llm.anthropic;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.quarry.llm.HttpLanguageModelProvider;
import dev.quarry.llm.LlmProperties;
import dev.quarry.llm.ModelConfig;
import dev.quarry.llm.ProviderHttp;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Anthropic's Messages API, streamed ({@code POST <base-url>/messages} with {@code stream: true}: the events
 * {@code message_start}, {@code content_block_delta}, {@code message_delta} with the usage, {@code message_stop}).
 * {@code quarry.llm.anthropic.*}; the key from {@code ANTHROPIC_API_KEY}. Anthropic requires {@code max_tokens}.
 */
@Component
public class AnthropicProvider extends HttpLanguageModelProvider {

    public AnthropicProvider(LlmProperties properties) {
        super("anthropic", properties.anthropic());
    }

    @Override
    protected StreamingChatModel build(String model, ModelConfig config, Duration timeout, HttpClientBuilder http) {
        return AnthropicStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(ProviderHttp.withSlash(settings.baseUrl()))
                .apiKey(settings.apiKey())
                .modelName(model)
                .temperature(config.temperature())
                .topP(config.topP())
                .maxTokens(maxTokens(config))
                .timeout(timeout)
                .build();
    }
}
