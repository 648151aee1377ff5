package dev.quarry.llm;

/** A finished answer and what the provider counted for it (0 when it reported nothing). */
public record Completion(String text, long inputTokens, long outputTokens, String finishReason) {
}
