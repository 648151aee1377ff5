package dev.quarry.api.web;

import org.springframework.http.HttpStatus;

import java.net.URI;

/**
 * Every kind of error the API answers with. The {@link #type()} URI is part of the public contract:
 * clients branch on it, so a kind is never renamed, only added.
 */
public enum ProblemKind {
    EMPTY_FILE("empty-file", HttpStatus.BAD_REQUEST, "Empty file"),
    MISSING_FILE("missing-file", HttpStatus.BAD_REQUEST, "Missing file part"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large"),
    INVALID_METADATA("invalid-metadata", HttpStatus.BAD_REQUEST, "Invalid metadata"),
    MISSING_IDEMPOTENCY_KEY("missing-idempotency-key", HttpStatus.BAD_REQUEST, "Missing Idempotency-Key"),
    INVALID_IDEMPOTENCY_KEY("invalid-idempotency-key", HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_ENTITY,
            "Idempotency-Key reused with a different request"),
    IDEMPOTENCY_REQUEST_IN_FLIGHT("idempotency-request-in-flight", HttpStatus.CONFLICT,
            "A request with this Idempotency-Key is still in flight"),
    INVALID_CURSOR("invalid-cursor", HttpStatus.BAD_REQUEST, "Invalid cursor"),
    INVALID_PARAMETER("invalid-parameter", HttpStatus.BAD_REQUEST, "Invalid parameter"),
    UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized"),
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    JOB_FINISHED("job-finished", HttpStatus.CONFLICT, "Job already finished"),
    INGEST_IN_PROGRESS("ingest-in-progress", HttpStatus.CONFLICT, "The document is being ingested"),
    UNKNOWN_EMBEDDING_VERSION("unknown-embedding-version", HttpStatus.UNPROCESSABLE_ENTITY,
            "Unknown embedding version"),
    EMBEDDING_VERSION_NOT_COVERED("embedding-version-not-covered", HttpStatus.CONFLICT,
            "Embedding version does not cover every document"),
    EMBEDDING_VERSION_IN_USE("embedding-version-in-use", HttpStatus.CONFLICT, "Embedding version in use"),
    EMBEDDING_VERSION_ALREADY_ACTIVE("embedding-version-already-active", HttpStatus.CONFLICT,
            "Embedding version already active"),
    REINDEX_IN_PROGRESS("reindex-in-progress", HttpStatus.CONFLICT, "A reindex is already running"),
    UNKNOWN_EXPORT_FORMAT("unknown-export-format", HttpStatus.BAD_REQUEST, "Unknown export format"),
    EMPTY_SCOPE("empty-scope", HttpStatus.UNPROCESSABLE_ENTITY, "The scope selects no documents"),
    UNKNOWN_DOCUMENTS("unknown-documents", HttpStatus.UNPROCESSABLE_ENTITY, "Unknown documents"),
    EXPORT_NOT_READY("export-not-ready", HttpStatus.CONFLICT, "The export file is not ready"),
    EXPORT_EXPIRED("export-expired", HttpStatus.GONE, "The export file has expired"),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Range not satisfiable"),
    EMPTY_MESSAGE("empty-message", HttpStatus.BAD_REQUEST, "Empty message"),
    UNKNOWN_MODEL("unknown-model", HttpStatus.UNPROCESSABLE_ENTITY, "Unknown model"),
    MODEL_NOT_CONFIGURED("model-not-configured", HttpStatus.UNPROCESSABLE_ENTITY,
            "No key is configured for the model's provider"),
    UNKNOWN_PROVIDER("unknown-provider", HttpStatus.UNPROCESSABLE_ENTITY, "Unknown language-model provider"),
    INVALID_MODEL_CONFIG("invalid-model-config", HttpStatus.BAD_REQUEST, "Invalid model configuration"),
    BUDGET_EXCEEDED("budget-exceeded", HttpStatus.TOO_MANY_REQUESTS, "Daily budget exceeded"),
    RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Rate limit exceeded"),
    PRIORITY_NOT_ALLOWED("priority-not-allowed", HttpStatus.FORBIDDEN, "Priority not allowed for this role"),
    INVALID_PRIORITY("invalid-priority", HttpStatus.BAD_REQUEST, "Invalid priority"),
    UNKNOWN_JOB_TYPE("unknown-job-type", HttpStatus.BAD_REQUEST, "Unknown job type"),
    INVALID_CONCURRENCY_LIMIT("invalid-concurrency-limit", HttpStatus.BAD_REQUEST, "Invalid concurrency limit"),
    BATCH_TOO_LARGE("batch-too-large", HttpStatus.PAYLOAD_TOO_LARGE, "Embedding batch too large"),
    INVALID_BATCH_ITEMS("invalid-batch-items", HttpStatus.UNPROCESSABLE_ENTITY, "Invalid embedding batch items"),
    EMBEDDING_VERSION_NOT_ACTIVE("embedding-version-not-active", HttpStatus.UNPROCESSABLE_ENTITY,
            "Not the tenant's active embedding version"),
    RESULTS_NOT_READY("results-not-ready", HttpStatus.CONFLICT, "The batch's results are not ready"),
    RESULTS_EXPIRED("results-expired", HttpStatus.GONE, "The batch's results have expired"),
    QUEUE_FULL("queue-full", HttpStatus.SERVICE_UNAVAILABLE, "Too many jobs waiting"),
    SERVICE_UNAVAILABLE("service-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private static final String PREFIX = "urn:quarry:problem:";
    private final URI type;
    private final HttpStatus status;
    private final String title;

    ProblemKind(String slug, HttpStatus status, String title) {
        this.type = URI.create(PREFIX + slug);
        this.status = status;
        this.title = title;
    }

    public URI type() {
        return type;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The kind for a status produced by Spring itself (unknown route, wrong method, bad parameter...). */
    static ProblemKind forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_PARAMETER;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_PARAMETER;
        };
    }
}
