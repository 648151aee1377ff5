package dev.quarry.api.web;

import dev.quarry.jobs.JobTraces;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Runs before security so that even a 401 carries the trace id, in its body and in the logs; and after Spring
 * Boot's server observation (at {@code HIGHEST_PRECEDENCE + 1}), which opens the request's span, continuing an
 * incoming {@code traceparent}. The request's {@link TraceContext} is that span's, so the traceparent saved
 * with a job names the API's span as the parent of the job's runs. Without tracing, it is the incoming
 * traceparent or a new one. Clears the log fields that the request's code sets ({@code tenant},
 * {@code jobId}, {@code documentId}) when the request ends.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class TraceContextFilter extends OncePerRequestFilter {
    static final String RESPONSE_HEADER = "X-Trace-Id";
    private static final String[] REQUEST_MDC_KEYS = {"traceId", "tenant", "jobId", "documentId"};
    private final JobTraces traces;

    TraceContextFilter(JobTraces traces) {
        this.traces = traces;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String span = traces.currentTraceParent();
        TraceContext context = span != null ? TraceContext.from(span) : TraceContext.of(request);
        request.setAttribute(TraceContext.ATTRIBUTE, context);
        response.setHeader(RESPONSE_HEADER, context.traceId());
        MDC.put("traceId", context.traceId());
        try {
            chain.doFilter(request, response);
        } finally {
            for (String key : REQUEST_MDC_KEYS) MDC.remove(key);
        }
    }
}
