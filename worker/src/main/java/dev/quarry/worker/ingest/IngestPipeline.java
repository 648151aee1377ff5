package dev.quarry.worker.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ingest steps, in order, and nothing else: it runs them, times each ({@code quarry.ingest.step},
 * tagged {@code step}) and hands each its progress reporter. What a step does is the step's business;
 * job status, failures and retries are the handler's.
 */
final class IngestPipeline {
    private final List<IngestStep> steps;
    private final Map<String, Timer> timers = new LinkedHashMap<>();

    IngestPipeline(List<IngestStep> steps, MeterRegistry meters) {
        this.steps = List.copyOf(steps);
        for (IngestStep step : this.steps) {
            timers.put(step.name(), Timer.builder("quarry.ingest.step").tag("step", step.name())
                    .description("Time spent in one ingest step, per attempt").register(meters));
        }
    }

    /** Runs every step in order; the first failure stops the run and propagates. */
    void run(IngestRun run, JobProgressLog progress) throws Exception {
        for (IngestStep step : steps) {
            long start = System.nanoTime();
            try {
                step.run(run, progress.forStep(step.name()));
            } finally {
                timers.get(step.name()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }
}
