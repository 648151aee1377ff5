package dev.quarry.worker.reindex;

import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.ReindexDocumentHandler;
import dev.quarry.jobs.ReindexDocumentJob;
import dev.quarry.reindex.ReindexTask;
import dev.quarry.reindex.Reindexes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one document's share of a reindex. A failure is thrown to JobRunr, so Quarry's retry policy retries it
 * on the {@code reindex_document} schedule and dead-letters it when the retries run out; its parent, which
 * watches its per-document jobs, counts a job that ended without success as a failed attempt of the document
 * and dispatches it again or gives up.
 */
@Component
class ReindexDocumentJobHandler implements ReindexDocumentHandler {
    private static final Logger log = LoggerFactory.getLogger(ReindexDocumentJobHandler.class);
    private final Reindexes reindexes;
    private final JobLifecycle lifecycle;
    private final DocumentReembedding reembedding;
    private final EmbeddingCatalog catalog;

    ReindexDocumentJobHandler(Reindexes reindexes, JobLifecycle lifecycle, DocumentReembedding reembedding,
                              EmbeddingCatalog catalog) {
        this.reindexes = reindexes;
        this.lifecycle = lifecycle;
        this.reembedding = reembedding;
        this.catalog = catalog;
    }

    @Override
    public void run(ReindexDocumentJob job) {
        ReindexTask task = reindexes.task(job.jobId(), job.tenantId()).orElse(null);
        if (task == null) {
            log.warn("reindex document job {} has no reindex; dropping it", job.jobId());
            return;
        }
        try {
            lifecycle.start(job.jobId(), job.tenantId(), new JobEventData.Started(task.documentId(), null, null));
        } catch (IllegalTransitionException e) {
            log.info("reindex document job {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        try {
            int chunks = reembedding.reembed(job.tenantId(), task.documentId(), catalog.require(task.targetVersion()));
            lifecycle.succeed(job.jobId(), job.tenantId(), JobEventData.Succeeded.ingested(task.documentId(), chunks));
        } catch (RuntimeException e) {
            log.warn("re-embedding document {} into {} failed, retried on Quarry's schedule: {}", task.documentId(),
                    task.targetVersion(), e.toString());
            throw e;
        }
    }
}
