package dev.quarry.api.web;

import jakarta.servlet.http.HttpServletRequest;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The request's W3C trace context: taken from an incoming {@code traceparent} header, or started here.
 * Its trace id appears in logs and problem responses, and the traceparent is saved with every job so the
 * worker continues the same trace.
 */
public record TraceContext(String traceId, String traceParent) {
    static final String ATTRIBUTE = TraceContext.class.getName();
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    private static final SecureRandom RANDOM = new SecureRandom();

    static TraceContext from(String traceparent) {
        if (traceparent != null) {
            var m = TRACEPARENT.matcher(traceparent.trim());
            if (m.matches() && !m.group(1).equals(INVALID_TRACE_ID)) {
                return new TraceContext(m.group(1), m.group());
            }
        }
        String traceId = random(16);
        return new TraceContext(traceId, "00-" + traceId + "-" + random(8) + "-01");
    }

    /** The current request's context; one is started if the filter did not run (e.g. in an error dispatch). */
    public static TraceContext of(HttpServletRequest request) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing instanceof TraceContext context) return context;
        TraceContext context = from(request.getHeader("traceparent"));
        request.setAttribute(ATTRIBUTE, context);
        return context;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
