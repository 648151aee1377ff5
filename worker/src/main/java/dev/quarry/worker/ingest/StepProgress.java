package dev.quarry.worker.ingest;

import java.util.Map;

/** How a step reports progress; the step's name is already bound. */
interface StepProgress {

    void report(int done, int total);

    /** With details for the event, e.g. counts; never document content. */
    void report(int done, int total, Map<String, Object> details);

    /**
     * Runs {@code work} in one transaction with the progress not committed yet and this report, so that
     * what the step writes and the events describing it commit or roll back together.
     */
    default void reportWith(int done, int total, Runnable work) {
        reportWith(done, total, Map.of(), work);
    }

    /** {@link #reportWith(int, int, Runnable)} with details for the event. */
    void reportWith(int done, int total, Map<String, Object> details, Runnable work);
}
