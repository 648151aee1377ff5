package dev.quarry.worker.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.core.instrument.Timer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ingest steps, in order, and nothing else: it finds where an earlier attempt left off, runs the
 * remaining steps, times each ({@code quarry.ingest.step}, tagged {@code step}), counts the skipped ones
 * ({@code quarry.ingest.step.skipped}), checks the cancel flag between steps and hands each its progress
 * reporter, and gives each step a span. What a step does is the step's business; job status, failures and
 * retries are the handler's.
 */
final class IngestPipeline {
    private final List<IngestStep> steps;
    private final PgCheckpoints checkpoints;
    private final Map<String, Timer> timers = new LinkedHashMap<>();
    private final Map<String, Counter> skipped = new LinkedHashMap<>();
    private final Tracer tracer;

    IngestPipeline(List<IngestStep> steps, PgCheckpoints checkpoints, MeterRegistry meters, Tracer tracer) {
        this.tracer = tracer;
        this.steps = List.copyOf(steps);
        this.checkpoints = checkpoints;
        for (IngestStep step : this.steps) {
            timers.put(step.name(), Timer.builder("quarry.ingest.step").tag("step", step.name())
                    .description("Time spent in one ingest step, per attempt").register(meters));
            skipped.put(step.name(), Counter.builder("quarry.ingest.step.skipped").tag("step", step.name())
                    .description("Steps not run because an earlier attempt completed them").register(meters));
        }
    }

    /** The steps' names, in the order they run (the README describes this order). */
    List<String> stepNames() {
        return steps.stream().map(IngestStep::name).toList();
    }

    /** Runs every step not completed yet, in order; the first failure stops the run and propagates. */
    void run(IngestRun run, JobProgressLog progress) throws Exception {
        checkpoints.begin(run);
        int resumedThrough = -1;
        for (int i = steps.size() - 1; i >= 0 && resumedThrough < 0; i--) {
            if (steps.get(i).resume(run)) resumedThrough = i;
        }
        for (int i = 0; i < steps.size(); i++) {
            IngestStep step = steps.get(i);
            if (i <= resumedThrough) {
                skipped.get(step.name()).increment();
                step.skip(run, progress.forStep(step.name()));
                continue;
            }
            run.cancel.check();
            long start = System.nanoTime();
            // One span per step, under the job's: the store step's is its one transaction.
            Span span = tracer.nextSpan().name("ingest " + step.name()).start();
            try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
                step.run(run, progress.forStep(step.name()));
            } catch (Exception | Error e) {
                span.error(e);
                throw e;
            } finally {
                span.end();
                timers.get(step.name()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }
}
