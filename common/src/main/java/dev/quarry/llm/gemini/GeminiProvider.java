package dev.quarry.llm.gemini;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.quarry.llm.HttpLanguageModelProvider;
import dev.quarry.llm.LlmProperties;
import dev.quarry.llm.ModelConfig;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Google's Gemini API, streamed ({@code POST <base-url>/models/<model>:streamGenerateContent?alt=sse}; each event
 * is a {@code GenerateContentResponse}, the last with {@code finishReason} and {@code usageMetadata}).
 * {@code quarry.llm.gemini.*}; the key from {@code GEMINI_API_KEY}.
 */
@Component
public class GeminiProvider extends HttpLanguageModelProvider {

    public GeminiProvider(LlmProperties properties) {
        super("gemini", properties.gemini());
    }

    @Override
    protected StreamingChatModel build(String model, ModelConfig config, Duration timeout, HttpClientBuilder http) {
        return GoogleAiGeminiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey())
                .modelName(model)
                .temperature(config.temperature())
                .topP(config.topP())
                .maxOutputTokens(maxTokens(config))
                .timeout(timeout)
                .build();
    }
}
