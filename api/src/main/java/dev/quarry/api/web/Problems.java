package dev.quarry.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;

/**
 * Builds the RFC 9457 bodies for every error path (controllers, the security filter chain, the error
 * page), so they all carry the same stable type, title and the request's trace id.
 */
@Component
public class Problems {
    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    public ProblemDetail detail(ProblemKind kind, String detail, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(kind.status(), detail);
        problem.setType(kind.type());
        problem.setTitle(kind.title());
        if (request != null) {
            problem.setInstance(URI.create(request.getRequestURI()));
            problem.setProperty("traceId", TraceContext.of(request).traceId());
        }
        return problem;
    }

    /** The content type is preset so that a client that accepts only, say, text/event-stream still gets it. */
    public ResponseEntity<ProblemDetail> response(ProblemKind kind, String detail, HttpServletRequest request) {
        return ResponseEntity.status(kind.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(detail(kind, detail, request));
    }

    /** For code outside Spring MVC (security entry points), which writes the response itself. */
    public void write(ProblemKind kind, String detail, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        write(detail(kind, detail, request), response);
    }

    /** As above, for a problem that carries extension members (e.g. which limit refused a request). */
    public void write(ProblemDetail problem, HttpServletResponse response) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
