package dev.quarry.llm.openai;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.quarry.llm.HttpLanguageModelProvider;
import dev.quarry.llm.LlmProperties;
import dev.quarry.llm.ModelConfig;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * OpenAI's chat completions, streamed ({@code POST <base-url>/chat/completions} with {@code stream: true}; the
 * last chunk carries the usage). {@code quarry.llm.openai.*}; the key from {@code OPENAI_API_KEY}.
 */
@Component
public class OpenAiProvider extends HttpLanguageModelProvider {

    public OpenAiProvider(LlmProperties properties) {
        super("openai", properties.openai());
    }

    @Override
    protected StreamingChatModel build(String model, ModelConfig config, Duration timeout, HttpClientBuilder http) {
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey())
                .modelName(model)
                .temperature(config.temperature())
                .topP(config.topP())
                .maxCompletionTokens(maxTokens(config))
                .timeout(timeout)
                .build();
    }
}
