package dev.quarry.worker.ingest;

import java.util.Map;

/**
 * One named step of the ingest pipeline. Steps run in order on the job's thread, read what earlier steps
 * left in the {@link IngestRun} and add their own result. A step must be safe to run again on a fresh run
 * of the same job (after a crash or a retry).
 * <p>
 * A step whose output is worth keeping records its completion in {@code pipeline_steps}, per document,
 * content hash, step and embedding version, in the same transaction as that output; a later attempt then
 * {@linkplain #resume resumes} after it instead of redoing it and every step before it.
 * <p>
 * Failing: throw. {@link UnprocessableDocumentException} means the document can never be ingested;
 * {@link JobCancelledException} that the job's cancellation was requested; anything else is treated as
 * transient and the attempt is retried (see {@link FailureKind}).
 */
interface IngestStep {

    /** The step's name in progress events and the {@code step} tag of {@code quarry.ingest.step}. */
    String name();

    /** Does the step's work and reports its progress at least once. */
    void run(IngestRun run, StepProgress progress) throws Exception;

    /**
     * Called before any step runs, from the last step backwards, until one answers true: puts into
     * {@code run} what this step recorded for the run's content and version (see
     * {@link IngestRun#completedSteps}), so that the pipeline continues after it. Steps that record nothing
     * answer false.
     */
    default boolean resume(IngestRun run) {
        return false;
    }

    /** Reports a step that an earlier attempt completed (this one and every one before a resumed step). */
    default void skip(IngestRun run, StepProgress progress) {
        progress.report(1, 1, Map.of("skipped", true));
    }
}
