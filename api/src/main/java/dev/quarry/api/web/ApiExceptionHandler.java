package dev.quarry.api.web;

import dev.quarry.embedding.openai.EmbeddingProviderUnavailableException;
import dev.quarry.embedding.openai.OpenAiCallFailedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every exception into an RFC 9457 problem. Spring's own exceptions (unknown route, bad parameter,
 * upload too large...) keep their status and detail but get Quarry's stable type and the trace id.
 * Unexpected exceptions are logged with their stack trace and answered without it.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final String RETRY_AFTER_SECONDS = "5";
    private final Problems problems;
    private final DataSize maxFileSize;

    ApiExceptionHandler(Problems problems,
                        @Value("${spring.servlet.multipart.max-file-size:50MB}") DataSize maxFileSize) {
        this.problems = problems;
        this.maxFileSize = maxFileSize;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem, HttpServletRequest request) {
        ResponseEntity<ProblemDetail> response = problems.response(problem.kind(), problem.getMessage(), request);
        problem.properties().forEach(response.getBody()::setProperty);
        String retryAfter = problem.retryAfterSeconds() != null ? problem.retryAfterSeconds().toString()
                : problem.kind().status() == HttpStatus.SERVICE_UNAVAILABLE ? RETRY_AFTER_SECONDS : null;
        if (retryAfter == null) return response;
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, retryAfter).body(response.getBody());
    }

    /** A part could not be read: not a multipart request, or a malformed one. Never the client's 500. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e, HttpServletRequest request) {
        if (e instanceof MaxUploadSizeExceededException) return tooLarge(request);
        return problems.response(ProblemKind.MISSING_FILE,
                "expected a multipart/form-data request with a 'file' part", request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(HttpServletRequest request) {
        return problems.response(ProblemKind.FORBIDDEN, "this operation needs a role the token does not carry",
                request);
    }

    /**
     * PostgreSQL (or Redis, where it is required) is unreachable: tell the client to come back. Other
     * exceptions caused by an outage get here through {@link #unexpected} and {@link StorageOutage}.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class, RedisConnectionFailureException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e, HttpServletRequest request) {
        log.warn("storage unavailable: {}", e.toString());
        return ResponseEntity.status(ProblemKind.SERVICE_UNAVAILABLE.status())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.detail(ProblemKind.SERVICE_UNAVAILABLE, "storage is temporarily unavailable",
                        request));
    }

    /**
     * A query could not be embedded: the remote embedding provider failed, is over our rate limit, or is
     * behind its open circuit breaker (then Retry-After is the breaker's wait). The client did nothing wrong.
     */
    @ExceptionHandler({EmbeddingProviderUnavailableException.class, OpenAiCallFailedException.class,
            RequestNotPermitted.class})
    ResponseEntity<ProblemDetail> embeddingUnavailable(Exception e, HttpServletRequest request) {
        log.warn("query embedding unavailable: {}", e.toString());
        String retryAfter = e instanceof EmbeddingProviderUnavailableException paused
                ? Long.toString(Math.max(1, paused.retryAfter().toSeconds())) : RETRY_AFTER_SECONDS;
        return ResponseEntity.status(ProblemKind.SERVICE_UNAVAILABLE.status())
                .header(HttpHeaders.RETRY_AFTER, retryAfter)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.detail(ProblemKind.SERVICE_UNAVAILABLE,
                        "the embedding provider is temporarily unavailable; retry later", request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (StorageOutage.causes(e)) return unavailable(e, request);
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problems.response(ProblemKind.INTERNAL_ERROR,
                "unexpected error; quote the traceId when reporting it", request);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return new ResponseEntity<>(tooLarge(servletRequest(request)).getBody(), problemHeaders(headers),
                ProblemKind.PAYLOAD_TOO_LARGE.status());
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemKind kind = ProblemKind.forStatus(status.value());
        ProblemDetail spring = body instanceof ProblemDetail given ? given
                : ex instanceof ErrorResponse response ? response.getBody() : null;
        String detail = spring != null && spring.getDetail() != null ? spring.getDetail() : kind.title();
        ProblemDetail problem = problems.detail(kind, detail, servletRequest(request));
        // Spring's status wins (e.g. 405 or 406), the type follows it.
        problem.setStatus(status.value());
        return new ResponseEntity<>(problem, problemHeaders(headers), status);
    }

    private ResponseEntity<ProblemDetail> tooLarge(HttpServletRequest request) {
        return problems.response(ProblemKind.PAYLOAD_TOO_LARGE,
                "the upload exceeds the " + maxFileSize.toMegabytes() + " MB limit", request);
    }

    private static HttpHeaders problemHeaders(HttpHeaders headers) {
        HttpHeaders copy = new HttpHeaders();
        if (headers != null) copy.putAll(headers);
        copy.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return copy;
    }

    private static HttpServletRequest servletRequest(WebRequest request) {
        return request instanceof NativeWebRequest nativeRequest
                ? nativeRequest.getNativeRequest(HttpServletRequest.class) : null;
    }
}
