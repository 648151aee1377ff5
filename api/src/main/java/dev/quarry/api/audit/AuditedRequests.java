package dev.quarry.api.audit;

import dev.quarry.api.web.Caller;
import dev.quarry.api.web.TraceContext;
import dev.quarry.audit.AuditRecord;
import dev.quarry.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Records every mutating API call (POST, PUT, PATCH, DELETE) in the audit trail once it has been answered, so a
 * new endpoint is audited without doing anything: its action is the method and route pattern (e.g.
 * {@code DELETE /api/v1/documents/{id}}), its target the path variables, its outcome the answer's class and
 * status. A request the security chain turned away never reaches here, and an idempotent replay is answered
 * by the idempotency filter before it: the original call is the one recorded.
 *
 * <p>The entry is appended after the call's own transaction committed: if the process dies in between, the
 * entry is lost. A failed append is logged and does not change the answer, which has been sent already.
 */
class AuditedRequests implements HandlerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(AuditedRequests.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final AuditTrail trail;

    AuditedRequests(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!MUTATING.contains(request.getMethod())) return;
        Caller caller = Caller.current().orElse(null);
        if (caller == null) return;
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String action = request.getMethod() + " " + (pattern != null ? pattern : request.getRequestURI());
        try {
            trail.record(new AuditRecord(caller.subject(), caller.tenant(), caller.highestRole(), action,
                    target(request), outcome(ex == null ? response.getStatus() : 500), TraceContext.of(request).traceId()));
        } catch (RuntimeException e) {
            log.error("audit entry for {} not recorded", action, e);
        }
    }

    static String outcome(int status) {
        String kind = status < 400 ? "succeeded" : status < 500 ? "rejected" : "failed";
        return kind + " " + status;
    }

    @SuppressWarnings("unchecked")
    private static String target(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (!(variables instanceof Map<?, ?> map) || map.isEmpty()) return null;
        return new TreeMap<>((Map<String, String>) map).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
