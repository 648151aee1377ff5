package dev.quarry.jobs;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * A job's place in its trace. Creating a job opens an {@code enqueue <type>} span (a producer, under the
 * context the creator passes, e.g. the HTTP request's span), and that span's W3C {@code traceparent} is saved
 * with the job ({@code jobs.trace_parent}); every run of the job, in whichever process, is a child of it, so the
 * HTTP request, the enqueue and each attempt of the job are one trace. A retry, a run handed back after a worker
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
     * Starts the span of {@code type} job {@code jobId}'s enqueue: a child of {@code traceParent} (the creator's
     * context) or, without one, of the current span, or else the root of a new trace. The caller ends it once the
     * job is handed over.
     */
    public Span startEnqueue(JobType type, java.util.UUID jobId, String traceParent) {
        Span.Builder builder = traceParent == null || traceParent.isBlank() ? currentOrRoot()
                : propagator.extract(Map.of(TRACEPARENT, traceParent), Map::get);
        return builder.name("enqueue " + type.tag()).kind(Span.Kind.PRODUCER)
                .tag("quarry.job.type", type.tag())
                .tag("quarry.job.id", jobId.toString())
                .start();
    }

    /**
     * The traceparent to save with a job whose enqueue is {@code span}: the span's own, or {@code fallback} when
     * tracing is off (a no-op span has no context to propagate).
     */
    public String traceParentOf(Span span, String fallback) {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        String traceParent = carrier.get(TRACEPARENT);
        return traceParent == null || traceParent.isBlank() ? fallback : traceParent;
    }

    private Span.Builder currentOrRoot() {
        Span current = tracer.currentSpan();
        return current == null ? tracer.spanBuilder().setNoParent() : tracer.spanBuilder().setParent(current.context());
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
