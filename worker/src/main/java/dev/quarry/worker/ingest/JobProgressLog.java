package dev.quarry.worker.ingest;

import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The progress events of one job attempt, committed in as few transactions as keep them live.
 * <p>
 * Why: a small document runs all six steps in a few milliseconds, and a transaction per event would cost
 * more than the work (the ingest benchmark runs 1,400 such jobs against the raw model's speed). So an event
 * is committed at once only when the previous commit is at least {@code flushInterval} old; otherwise it
 * waits for the next event or for the next transaction the job makes anyway (the store step's, the final
 * status change), and joins it. Clients thus see every event, in order, at most one step late. Events that
 * were in a transaction that rolled back are written again by the next one.
 * <p>
 * Confined to the job's thread.
 */
final class JobProgressLog {
    private final UUID jobId;
    private final String tenantId;
    private final JobLifecycle lifecycle;
    private final TransactionTemplate tx;
    private final long flushIntervalNanos;
    private final List<JobEventData.Progress> pending = new ArrayList<>();
    private int written;
    private boolean inTransaction;
    private long lastCommit = System.nanoTime();

    JobProgressLog(UUID jobId, String tenantId, JobLifecycle lifecycle, TransactionTemplate tx, Duration flushInterval) {
        this.jobId = jobId;
        this.tenantId = tenantId;
        this.lifecycle = lifecycle;
        this.tx = tx;
        this.flushIntervalNanos = flushInterval.toNanos();
    }

    StepProgress forStep(String step) {
        return new StepProgress() {
            @Override
            public void report(int done, int total) {
                report(done, total, Map.of());
            }

            @Override
            public void report(int done, int total, Map<String, Object> details) {
                pending.add(new JobEventData.Progress(step, done, total, details));
                if (!inTransaction && System.nanoTime() - lastCommit >= flushIntervalNanos) commit(() -> {
                });
            }

            @Override
            public void reportWith(int done, int total, Map<String, Object> details, Runnable work) {
                pending.add(new JobEventData.Progress(step, done, total, details));
                try {
                    commit(work);
                } catch (RuntimeException | Error e) {
                    // Rolled back: the event describes work that did not happen.
                    pending.remove(pending.size() - 1);
                    throw e;
                }
            }
        };
    }

    /**
     * One transaction: the events not committed yet, then {@code work}. Used by steps that write and for
     * the job's final status change, so that they commit with the progress before them, in order.
     */
    void commit(Runnable work) {
        try {
            tx.executeWithoutResult(status -> {
                writePending();
                inTransaction = true;
                try {
                    work.run();
                } finally {
                    inTransaction = false;
                }
            });
        } catch (RuntimeException | Error e) {
            written = 0;
            throw e;
        }
        pending.clear();
        written = 0;
        lastCommit = System.nanoTime();
    }

    /** Marks the start of the attempt, which the caller committed on its own. */
    void started() {
        lastCommit = System.nanoTime();
    }

    private void writePending() {
        lifecycle.progress(jobId, tenantId, List.copyOf(pending.subList(written, pending.size())));
        written = pending.size();
    }
}
