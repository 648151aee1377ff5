package dev.quarry.llm;

import java.util.List;

/** The messages sent to a model, oldest first; the grounding passages are already inside them. */
public record ChatPrompt(List<PromptMessage> messages) {
    public ChatPrompt {
        messages = List.copyOf(messages);
    }

    /** @param role {@code system}, {@code user}, {@code assistant} or {@code tool} */
    public record PromptMessage(String role, String content) {
    }
}
