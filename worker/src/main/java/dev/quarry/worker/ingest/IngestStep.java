package dev.quarry.worker.ingest;

/**
 * One named step of the ingest pipeline. Steps run in order on the job's thread, read what earlier steps
 * left in the {@link IngestRun} and add their own result. A step must be safe to run again on a fresh run
 * of the same job (after a crash or a retry): only {@code store} writes, and it replaces.
 * <p>
 * Failing: throw. {@link UnprocessableDocumentException} means the document can never be ingested;
 * anything else is treated as transient and the attempt is retried (see {@link FailureKind}).
 */
interface IngestStep {

    /** The step's name in progress events and the {@code step} tag of {@code quarry.ingest.step}. */
    String name();

    /** Does the step's work and reports its progress at least once. */
    void run(IngestRun run, StepProgress progress) throws Exception;
}
