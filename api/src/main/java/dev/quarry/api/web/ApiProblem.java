package dev.quarry.api.web;

import java.util.Map;

/**
 * Thrown by features to answer with a problem of a given kind; {@link ApiExceptionHandler} renders it.
 * The detail is shown to the client, so it must never carry secrets, document content or stack traces.
 */
public class ApiProblem extends RuntimeException {
    private final ProblemKind kind;
    private final Map<String, Object> properties;
    private final Long retryAfterSeconds;

    public ApiProblem(ProblemKind kind, String detail) {
        this(kind, detail, Map.of(), null);
    }

    /**
     * @param properties        extension members of the problem (RFC 9457 §3.2), e.g. which budget refused
     * @param retryAfterSeconds the Retry-After to send, or null
     */
    public ApiProblem(ProblemKind kind, String detail, Map<String, Object> properties, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.kind = kind;
        this.properties = Map.copyOf(properties);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ProblemKind kind() {
        return kind;
    }

    Map<String, Object> properties() {
        return properties;
    }

    Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiProblem notFound(String what, Object id) {
        return new ApiProblem(ProblemKind.NOT_FOUND, what + " " + id + " not found");
    }
}
