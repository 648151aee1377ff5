package dev.quarry.jobs;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * A job's place in its trace. The W3C {@code traceparent} of the span that created a job is saved with it
 * ({@code jobs.trace_parent}); every run of the job, in whichever process, is a child of that span, so the HTTP
 * request, the enqueue and each attempt of the job are one trace. A retry, a run handed back after a worker
 * died, or an operator's requeue of the same job therefore joins its original trace rather than starting one.
 * Without tracing (a test context, say) both ends are no-ops.
 */
@Component
public class JobTraces {
    private static final String TRACEPARENT = "traceparent";
    private final Tracer tracer;
    private final Propagator propagator;

    JobTraces(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The W3C traceparent of the current span, to save with a job; null outside a trace. */
    public String currentTraceParent() {
        Span span = tracer.currentSpan();
        if (span == null) return null;
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts the span of one run of {@code request}'s job, a child of {@code traceParent} (the job's saved
     * context) or, for a job saved without one, the root of a new trace. The caller puts it in scope and ends it.
     */
    public Span startRun(QuarryJobRequest request, String traceParent) {
        Span.Builder builder = traceParent == null || traceParent.isBlank() ? tracer.spanBuilder().setNoParent()
                : propagator.extract(Map.of(TRACEPARENT, traceParent), Map::get);
        return builder.name("job " + request.jobType().tag()).kind(Span.Kind.CONSUMER)
                .tag("quarry.job.type", request.jobType().tag())
                .tag("quarry.job.id", request.jobId().toString())
                .start();
    }
}
