package dev.quarry.llm;

/** A provider's failure, classified for the job's retry policy. */
public class LanguageModelException extends RuntimeException {
    private final boolean transientFailure;

    public LanguageModelException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** True for failures a later attempt may not meet: rate limits, 5xx, timeouts, a stream cut mid-answer. */
    public boolean transientFailure() {
        return transientFailure;
    }
}
