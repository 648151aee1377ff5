package dev.quarry.embedding.openai;

import java.time.Duration;

/**
 * The embedding provider refuses calls for now, without being asked: its circuit breaker is open after
 * repeated failures. Nothing about the input is wrong, and no attempt reached the provider, so a job that
 * meets it is rescheduled (no earlier than {@link #retryAfter()}) rather than failed.
 */
public class EmbeddingProviderUnavailableException extends RuntimeException {
    private final Duration retryAfter;

    public EmbeddingProviderUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the breaker stays open once it opened: the earliest a new attempt can be let through. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
