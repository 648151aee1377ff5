package dev.quarry.worker.reindex;

import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.ReindexDocumentJob;
import dev.quarry.reindex.Reindexes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The per-document jobs one reindex has in flight: dispatched through JobRunr (so every worker process
 * shares them), watched through their {@code jobs} rows, at most {@code maxInFlight} at once. Counts each
 * document's failed attempts; a job that stays unfinished past {@code documentTimeout} (its worker died) is
 * a failed attempt too. Confined to the reindex job's thread.
 */
final class DocumentJobs {
    private static final Logger log = LoggerFactory.getLogger(DocumentJobs.class);

    private record InFlight(UUID documentId, long dispatchedNanos) {
    }

    private final UUID reindexJobId;
    private final String tenant;
    private final String traceParent;
    private final Reindexes reindexes;
    private final PgJobStore jobs;
    private final JobLifecycle lifecycle;
    private final JobDispatcher dispatcher;
    private final int maxInFlight;
    private final Duration timeout;
    private final Map<UUID, InFlight> inFlight = new LinkedHashMap<>();
    private final Map<UUID, Integer> failures = new HashMap<>();

    DocumentJobs(UUID reindexJobId, String tenant, Reindexes reindexes, PgJobStore jobs, JobLifecycle lifecycle,
                 JobDispatcher dispatcher, ReindexProperties properties) {
        this.reindexJobId = reindexJobId;
        this.tenant = tenant;
        this.traceParent = jobs.find(tenant, reindexJobId).map(dev.quarry.jobs.Job::traceParent).orElse(null);
        this.reindexes = reindexes;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
        this.maxInFlight = properties.maxInFlight();
        this.timeout = properties.documentTimeout();
    }

    boolean hasRoom() {
        return inFlight.size() < maxInFlight;
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    int size() {
        return inFlight.size();
    }

    boolean contains(UUID documentId) {
        return inFlight.values().stream().anyMatch(f -> f.documentId().equals(documentId));
    }

    int failures(UUID documentId) {
        return failures.getOrDefault(documentId, 0);
    }

    void dispatch(UUID documentId) {
        UUID id = reindexes.createDocumentJob(reindexJobId, tenant, documentId, traceParent);
        inFlight.put(id, new InFlight(documentId, System.nanoTime()));
        // Committed already: a failed hand-over is completed by the outbox sweeper of any process.
        dispatcher.dispatch(id, new ReindexDocumentJob(id, tenant));
    }

    /** Forgets finished jobs; returns how many finished since the last call. */
    int collectFinished() {
        Map<UUID, JobStatus> statuses = jobs.statuses(new ArrayList<>(inFlight.keySet()));
        int finished = 0;
        for (var entry : List.copyOf(inFlight.entrySet())) {
            JobStatus status = statuses.get(entry.getKey());
            boolean lost = System.nanoTime() - entry.getValue().dispatchedNanos() > timeout.toNanos();
            if (status != null && !status.isTerminal() && !lost) continue;
            if (status != JobStatus.SUCCEEDED) {
                failures.merge(entry.getValue().documentId(), 1, Integer::sum);
                if (lost && status != null && !status.isTerminal()) abandon(entry.getKey());
            }
            inFlight.remove(entry.getKey());
            finished++;
        }
        return finished;
    }

    private void abandon(UUID id) {
        try {
            lifecycle.fail(id, tenant, JobEventData.Failed.NOTHING,
                    "no outcome within " + timeout + "; the reindex dispatches the document again");
        } catch (RuntimeException e) {
            log.debug("reindex document job {} finished meanwhile: {}", id, e.toString());
        }
    }

}
