package dev.quarry.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Replaces Boot's whitelabel/JSON error page: whatever reaches the servlet container's error dispatch
 * (an exception thrown in a filter, a container-level rejection) is answered as a problem too.
 */
@RestController
class ProblemErrorController implements ErrorController {
    private final Problems problems;

    ProblemErrorController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        // An exception from a filter, outside Spring MVC's handlers: an outage is still the client's 503.
        if (status == 500 && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable e
                && StorageOutage.causes(e)) {
            ResponseEntity<ProblemDetail> unavailable = problems.response(ProblemKind.SERVICE_UNAVAILABLE,
                    "storage is temporarily unavailable", request);
            return ResponseEntity.status(unavailable.getStatusCode()).headers(unavailable.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, ApiExceptionHandler.RETRY_AFTER_SECONDS).body(unavailable.getBody());
        }
        ProblemKind kind = ProblemKind.forStatus(status);
        ProblemDetail problem = problems.detail(kind, kind.title(), request);
        problem.setStatus(status);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path) problem.setInstance(URI.create(path));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
