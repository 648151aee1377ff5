package dev.quarry.llm;

import java.util.function.Consumer;

/**
 * One chat model of one provider (OpenAI, Anthropic, Gemini, or a plug-in), as the grounded-chat job sees it.
 * Implementations stream: {@code deltas} receives each piece of the answer as it arrives, and the returned
 * {@link Completion} carries the whole text and the token usage the provider reported.
 */
public interface LanguageModel {
    /** A stable, lower-case provider name: {@code openai}, {@code anthropic}, {@code gemini}, ... */
    String provider();

    /** The provider's model name, e.g. {@code gpt-4o-mini}. */
    String model();

    /**
     * @throws LanguageModelException when the provider fails; {@link LanguageModelException#transientFailure()}
     *         says whether a retry may succeed (429, 5xx, a cut stream) or not (401, an unknown model)
     */
    Completion stream(ChatPrompt prompt, Consumer<String> deltas);
}
