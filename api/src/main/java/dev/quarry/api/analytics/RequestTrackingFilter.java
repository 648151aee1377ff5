package dev.quarry.api.analytics;

import dev.quarry.analytics.TrackedRequest;
import dev.quarry.api.web.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Instant;

/**
 * Times every {@code /api/} request from before the security chain to the end of its answer and hands it to the
 * {@link RequestTracker}: the only work on the request's thread is building one small record and a queue offer.
 * The caller is known only inside the security chain, so {@link CallerCapture}, a filter behind it, leaves it on
 * the request; a request the chain refused has no caller (its tenant and subject are null). An SSE stream is
 * recorded when its response starts streaming, with the time it took to get there.
 */
class RequestTrackingFilter extends OncePerRequestFilter {
    static final String CALLER = RequestTrackingFilter.class.getName() + ".caller";
    private final RequestTracker tracker;
    private final RouteTemplates routes;

    RequestTrackingFilter(RequestTracker tracker, RouteTemplates routes) {
        this.tracker = tracker;
        this.routes = routes;
    }

    /** Only API calls are tracked: not the console's files, health checks or metrics scrapes. */
    static boolean outsideTheApi(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return outsideTheApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant at = Instant.now();
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            long micros = (System.nanoTime() - start) / 1_000;
            // An exception that escapes every handler is answered 500 by the container's error page.
            int status = failed ? 500 : response.getStatus();
            Caller caller = request.getAttribute(CALLER) instanceof Caller c ? c : null;
            tracker.track(new TrackedRequest(at, caller == null ? null : caller.tenant(),
                    caller == null ? null : caller.subject(), request.getMethod(), routes.of(request), status, micros));
        }
    }

    /** Behind the security chain: keeps the authenticated caller on the request for the tracking filter. */
    static class CallerCapture extends OncePerRequestFilter {
        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return outsideTheApi(request);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Caller.current().ifPresent(caller -> request.setAttribute(CALLER, caller));
            chain.doFilter(request, response);
        }
    }
}
