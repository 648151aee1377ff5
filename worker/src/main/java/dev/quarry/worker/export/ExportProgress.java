package dev.quarry.worker.export;

import dev.quarry.exports.Export;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;

import java.time.Duration;

/**
 * An export's progress events and cancel checks, at most one of each per {@link #INTERVAL}: each is a
 * statement, and a fast export writes thousands of documents a second.
 */
final class ExportProgress {
    static final Duration INTERVAL = Duration.ofMillis(250);
    static final String STEP = "write";
    private final Export export;
    private final int total;
    private final JobLifecycle lifecycle;
    private int done;
    private long lastCheck = System.nanoTime();

    ExportProgress(Export export, int total, JobLifecycle lifecycle) {
        this.export = export;
        this.total = total;
        this.lifecycle = lifecycle;
    }

    /** Counts a document; now and then reports progress, and stops the export if it was cancelled. */
    void documentWritten() {
        done++;
        if (System.nanoTime() - lastCheck < INTERVAL.toNanos()) return;
        lastCheck = System.nanoTime();
        if (lifecycle.cancelRequested(export.id())) throw new ExportCancelledException();
        lifecycle.progress(export.id(), export.tenantId(), new JobEventData.Progress(STEP, done, Math.max(done, total)));
    }

    JobEventData.Progress finalEvent(int written) {
        return new JobEventData.Progress(STEP, written, written);
    }
}
