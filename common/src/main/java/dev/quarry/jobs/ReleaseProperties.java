package dev.quarry.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code quarry.release.*}: how many released jobs may wait in JobRunr for a thread. {@code window} 0 (the
 * default) means one per worker thread of the running workers, at least {@code minWindow} (4): enough that
 * a thread that frees up finds a job at once, few enough that a job released later with a higher priority
 * has at most one wave of jobs ahead of it. {@code maxRunning}: the default cluster-wide limit on a job
 * type's running jobs, by type tag (e.g. {@code quarry.release.max-running.export=2}, the default, and {@code embed_batch=2}); a type without one
 * has no limit, and an operator's limit stored in {@code job_type_limits} wins over both.
 */
@ConfigurationProperties("quarry.release")
public record ReleaseProperties(Integer window, Integer minWindow, Map<String, Integer> maxRunning) {

    public ReleaseProperties {
        window = window == null ? 0 : window;
        minWindow = minWindow == null ? 4 : minWindow;
        // A configured type adds to the defaults. Embedding batches share each worker's one model with ingest: two
        // at once keep a flood of batches from holding every job thread (and the model) against uploads.
        Map<String, Integer> limits = new HashMap<>(Map.of("export", 2, "embed_batch", 2));
        if (maxRunning != null) limits.putAll(maxRunning);
        maxRunning = Map.copyOf(limits);
        if (window < 0) throw new IllegalArgumentException("quarry.release.window must be 0 (automatic) or more");
        if (minWindow < 1) throw new IllegalArgumentException("quarry.release.min-window must be at least 1");
        maxRunning.forEach((tag, limit) -> {
            JobTypeLimits.typeOf(tag);
            if (limit < 1) throw new IllegalArgumentException("quarry.release.max-running." + tag + " must be at least 1");
        });
    }

    /** The window for {@code threads} worker threads running. */
    int windowFor(int threads) {
        return window > 0 ? window : Math.max(minWindow, threads);
    }
}
