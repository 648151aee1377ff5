package dev.quarry.api.web;

/**
 * Thrown by features to answer with a problem of a given kind; {@link ApiExceptionHandler} renders it.
 * The detail is shown to the client, so it must never carry secrets, document content or stack traces.
 */
public class ApiProblem extends RuntimeException {
    private final ProblemKind kind;

    public ApiProblem(ProblemKind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    public ProblemKind kind() {
        return kind;
    }

    public static ApiProblem notFound(String what, Object id) {
        return new ApiProblem(ProblemKind.NOT_FOUND, what + " " + id + " not found");
    }
}
