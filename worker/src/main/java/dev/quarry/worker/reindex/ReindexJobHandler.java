package dev.quarry.worker.reindex;

import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.ReindexHandler;
import dev.quarry.jobs.ReindexJob;
import dev.quarry.reindex.Reindex;
import dev.quarry.reindex.Reindexes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * The parent of a reindex. It sweeps the tenant's documents that the target version does not cover, fans
 * them out as per-document jobs ({@link DocumentJobs}, bounded), and sweeps again when the queue runs dry,
 * so documents ingested meanwhile are covered too. When a sweep finds nothing and nothing is in flight, one
 * transaction switches the tenant's searches to the target (the switch itself checks coverage under the
 * tenant's lock, so a document that landed at the last moment only sends the loop round once more), frees
 * the tenant for its next reindex and marks the job SUCCEEDED. Until then searches keep using the source.
 * Progress is documents covered out of documents with chunks. A cancel request stops it between polls.
 * A failure is thrown to JobRunr: Quarry's retry policy runs it again on the {@code reindex} schedule (a run
 * resumes where the covered documents show it was) and dead-letters it when the retries run out; the
 * tenant's row is closed when its next reindex starts.
 */
@Component
@EnableConfigurationProperties(ReindexProperties.class)
class ReindexJobHandler implements ReindexHandler {
    private static final Logger log = LoggerFactory.getLogger(ReindexJobHandler.class);
    private final Reindexes reindexes;
    private final PgJobStore jobs;
    private final JobLifecycle lifecycle;
    private final PgEmbeddingVersions versions;
    private final EmbeddingCatalog catalog;
    private final JobDispatcher dispatcher;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final ReindexProperties properties;

    ReindexJobHandler(Reindexes reindexes, PgJobStore jobs, JobLifecycle lifecycle, PgEmbeddingVersions versions,
                      EmbeddingCatalog catalog, JobDispatcher dispatcher, TransactionTemplate tx, JdbcClient jdbc,
                      ReindexProperties properties) {
        this.reindexes = reindexes;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.versions = versions;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.tx = tx;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public void run(ReindexJob job) throws InterruptedException {
        Reindex reindex = reindexes.find(job.jobId(), job.tenantId()).orElse(null);
        if (reindex == null || !start(job)) return;
        if (reindex.finished()) {
            // Closed while this job waited (e.g. requeued from dead letters after a newer reindex started).
            // Nothing to retry: a newer reindex holds the tenant now.
            tx.executeWithoutResult(s -> lifecycle.fail(job.jobId(), job.tenantId(), JobEventData.Failed.NOTHING,
                    "this reindex was closed; start a new one"));
            return;
        }
        try {
            EmbeddingVersion target = catalog.require(reindex.targetVersion());
            versions.register(target);
            if (reindexAll(job, target)) {
                log.info("tenant {} now searches {}", job.tenantId(), target.tag());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e; // the worker is stopping: JobRunr runs the job again elsewhere
        } catch (RuntimeException e) {
            log.warn("reindex {} failed, retried on Quarry's schedule: {}", job.jobId(), e.toString());
            throw e;
        }
    }

    private boolean start(ReindexJob job) {
        try {
            lifecycle.start(job.jobId(), job.tenantId(), JobEventData.Started.NOTHING);
            return true;
        } catch (IllegalTransitionException e) {
            log.info("reindex {} is {} already; nothing to do", job.jobId(), e.current());
            return false;
        }
    }

    /** True once switched; false if cancelled. */
    private boolean reindexAll(ReindexJob job, EmbeddingVersion target) throws InterruptedException {
        DocumentJobs inFlight = new DocumentJobs(job.jobId(), job.tenantId(), reindexes, jobs, lifecycle, dispatcher,
                properties);
        Deque<UUID> pending = new ArrayDeque<>();
        int total = reindexes.documentsWithChunks(job.tenantId());
        long lastProgress = 0;
        int reported = -1;
        while (true) {
            if (pending.isEmpty() && inFlight.hasRoom()) {
                for (UUID document : versions.uncovered(job.tenantId(), target.tag(), Integer.MAX_VALUE)) {
                    if (!inFlight.contains(document)) pending.add(document);
                }
                total = Math.max(total, reindexes.documentsWithChunks(job.tenantId()));
                if (pending.isEmpty() && inFlight.isEmpty() && switchOver(job, target, total)) return true;
            }
            while (inFlight.hasRoom() && !pending.isEmpty()) {
                UUID document = pending.poll();
                if (inFlight.failures(document) >= properties.maxAttempts()) {
                    throw new IllegalStateException("document " + document + " could not be re-embedded in "
                            + properties.maxAttempts() + " attempts");
                }
                inFlight.dispatch(document);
            }
            Thread.sleep(properties.pollInterval().toMillis()); // polling the jobs table, not awaiting an outcome
            inFlight.collectFinished();
            int done = Math.max(0, total - pending.size() - inFlight.size());
            if (done != reported && System.nanoTime() - lastProgress >= properties.progressInterval().toNanos()) {
                lifecycle.progress(job.jobId(), job.tenantId(), new JobEventData.Progress("embed", done, total));
                reported = done;
                lastProgress = System.nanoTime();
            }
            if (lifecycle.cancelRequested(job.jobId())) {
                tx.executeWithoutResult(s -> {
                    reindexes.finish(job.jobId());
                    lifecycle.cancel(job.jobId(), job.tenantId(), new JobEventData.Cancelled(null, null, target.tag()));
                });
                return false;
            }
        }
    }

    /** The switch, in one transaction; false if a document arrived uncovered at the last moment. */
    private boolean switchOver(ReindexJob job, EmbeddingVersion target, int total) {
        // Exact BM25 statistics for the target from its first search on.
        jdbc.sql("select quarry_refresh_search_stats(?, ?)").params(job.tenantId(), target.tag())
                .query(Boolean.class).single();
        try {
            tx.executeWithoutResult(status -> {
                versions.activate(job.tenantId(), target);
                lifecycle.progress(job.jobId(), job.tenantId(), new JobEventData.Progress("embed", total, total));
                reindexes.finish(job.jobId());
                lifecycle.succeed(job.jobId(), job.tenantId(), JobEventData.Succeeded.reindexed(target.tag(), total));
            });
            return true;
        } catch (PgEmbeddingVersions.VersionNotCoveredException e) {
            return false;
        }
    }
}
