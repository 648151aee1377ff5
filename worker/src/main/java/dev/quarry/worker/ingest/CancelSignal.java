package dev.quarry.worker.ingest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Whether a running job's cancellation has been requested (status CANCEL_REQUESTED, set by the API).
 * PostgreSQL is the truth: {@link #check()} asks it with a primary-key lookup, but at most once per
 * {@code minIntervalNanos}, so that small documents, which finish in milliseconds, pay nothing, and a
 * large one pays a few lookups a second. Confined to the job's thread.
 */
final class CancelSignal {
    static final CancelSignal NEVER = new CancelSignal(() -> false, Long.MAX_VALUE);
    /** Bounds how late a cancellation is noticed between batches; a lookup costs well under a millisecond. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(200);

    private final BooleanSupplier requested;
    private final long minIntervalNanos;
    private long lastCheck = System.nanoTime();

    CancelSignal(BooleanSupplier requested, long minIntervalNanos) {
        this.requested = requested;
        this.minIntervalNanos = minIntervalNanos;
    }

    /** A signal that asks {@code requested} (JobLifecycle.cancelRequested) at most every {@link #CHECK_INTERVAL}. */
    static CancelSignal of(BooleanSupplier requested) {
        return new CancelSignal(requested, CHECK_INTERVAL.toNanos());
    }

    /** Throws if cancellation was requested; asks the database only if the last check is old enough. */
    void check() {
        if (System.nanoTime() - lastCheck < minIntervalNanos) return;
        checkNow();
    }

    /** Throws if cancellation was requested, asking the database now. */
    void checkNow() {
        lastCheck = System.nanoTime();
        if (this != NEVER && requested.getAsBoolean()) throw new JobCancelledException();
    }
}
