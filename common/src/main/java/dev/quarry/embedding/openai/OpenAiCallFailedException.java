package dev.quarry.embedding.openai;

import java.time.Duration;
import java.util.Optional;

/**
 * One call to the OpenAI embeddings API failed: an error status, a body that is not an embeddings answer, or
 * no answer at all (I/O error, timeout). {@link #status()} is the HTTP status, or 0 when there was none.
 */
public class OpenAiCallFailedException extends RuntimeException {
    private final int status;
    private final Duration retryAfter;
    private final String errorCode;

    public OpenAiCallFailedException(int status, Duration retryAfter, String message, Throwable cause) {
        this(status, retryAfter, null, message, cause);
    }

    public OpenAiCallFailedException(int status, Duration retryAfter, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** What the answer's {@code retry-after-ms} or {@code Retry-After} header asked for, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** OpenAI's {@code error.code}, e.g. {@code rate_limit_exceeded} or {@code insufficient_quota}, if any. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /**
     * Whether the same request could succeed a moment later: rate limiting (429), server errors (5xx),
     * timeouts, I/O errors and garbled answers. A 4xx other than 429 is not: the request or the account is
     * wrong, and repeating it within a second changes nothing; nor is a 429 for an exhausted quota.
     */
    boolean retryable() {
        if (status == 429) return !quotaExhausted();
        return status == 0 || status == 408 || status == 409 || status >= 500;
    }

    /**
     * Whether the failure says something about the provider's health, for the circuit breaker. A 400, 413
     * or 422 is about one request's input (e.g. a text over the model's limit): it must not cut every other
     * job off the provider. A 429 asking us to slow down is the retries' and rate limiters' business: the
     * provider is healthy. Everything else counts: 5xx, timeouts, a bad key (401/403), an unknown model (404)
     * and an exhausted quota, which no call can get past until an operator acts.
     */
    boolean recordedByBreaker() {
        if (status == 429) return quotaExhausted();
        return status != 400 && status != 413 && status != 422;
    }

    private boolean quotaExhausted() {
        return "insufficient_quota".equals(errorCode);
    }
}
