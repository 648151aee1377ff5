package dev.quarry.worker.jobs;

import dev.quarry.jobs.JobRunrBridge;
import dev.quarry.jobs.JobTraces;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.QuarryJobRequest;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * What every run of every job family carries, set in one place around the handler rather than by each one:
 * the job's span (a child of the span that created the job, see {@link JobTraces}) in scope, which puts
 * {@code traceId} and {@code spanId} in the logging MDC, and {@code jobId}, {@code tenant} and (for a
 * document's job) {@code documentId} in the MDC. JobRunr calls these hooks on the thread that runs the job,
 * before and after the handler.
 */
@Component
class JobRunContext implements JobServerFilter {
    static final String[] MDC_KEYS = {"jobId", "tenant", "documentId"};
    private static final ThreadLocal<Open> OPEN = new ThreadLocal<>();

    private record Open(Span span, Tracer.SpanInScope scope) {
    }

    private final JobTraces traces;
    private final PgJobStore jobs;

    JobRunContext(JobTraces traces, PgJobStore jobs) {
        this.traces = traces;
        this.jobs = jobs;
    }

    @Override
    public void onProcessing(Job job) {
        QuarryJobRequest request = JobRunrBridge.requestOf(job);
        if (request == null) return;
        close(null); // a run whose end was never reported must not leak into this one
        // One primary-key read: the saved trace context and the document, which the request may not carry.
        var row = jobs.find(request.tenantId(), request.jobId());
        MDC.put("jobId", request.jobId().toString());
        MDC.put("tenant", request.tenantId());
        row.map(dev.quarry.jobs.Job::documentId).ifPresent(id -> MDC.put("documentId", id.toString()));
        Span span = traces.startRun(request, row.map(dev.quarry.jobs.Job::traceParent).orElse(null));
        OPEN.set(new Open(span, traces.tracer().withSpan(span)));
    }

    @Override
    public void onProcessingSucceeded(Job job) {
        close(null);
    }

    @Override
    public void onProcessingFailed(Job job, Exception e) {
        close(e);
    }

    private static void close(Exception failure) {
        Open open = OPEN.get();
        for (String key : MDC_KEYS) MDC.remove(key);
        if (open == null) return;
        OPEN.remove();
        if (failure != null) open.span().error(failure);
        open.scope().close();
        open.span().end();
    }
}
