package dev.quarry.conversations;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Batches a streamed answer's pieces so that {@code job_events} gets one row per batch, not per token: a batch
 * is written when it holds {@code maxChars} characters, or when a piece arrives {@code interval} or more after
 * the last write, and at {@link #finish()}. Not thread-safe: a model streams on one thread.
 */
public final class DeltaBatcher {
    private final long intervalNanos;
    private final int maxChars;
    private final LongSupplier nanoTime;
    private final Consumer<String> write;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder whole = new StringBuilder();
    private long lastWrite;
    private int batches;

    public DeltaBatcher(Duration interval, int maxChars, LongSupplier nanoTime, Consumer<String> write) {
        this.intervalNanos = interval.toNanos();
        this.maxChars = maxChars;
        this.nanoTime = nanoTime;
        this.write = write;
        this.lastWrite = nanoTime.getAsLong();
    }

    public void accept(String delta) {
        if (delta == null || delta.isEmpty()) return;
        pending.append(delta);
        whole.append(delta);
        if (pending.length() >= maxChars || nanoTime.getAsLong() - lastWrite >= intervalNanos) flush();
    }

    /** Writes what is left; the answer is complete. */
    public void finish() {
        if (!pending.isEmpty()) flush();
    }

    /** Everything accepted so far, written or not. */
    public String text() {
        return whole.toString();
    }

    /** How many batches were written. */
    public int batches() {
        return batches;
    }

    private void flush() {
        String batch = pending.toString();
        pending.setLength(0);
        write.accept(batch);
        batches++;
        lastWrite = nanoTime.getAsLong();
    }
}
