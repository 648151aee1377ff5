package dev.quarry.worker.reindex;

import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.events.JobEventType;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.ReindexDocumentHandler;
import dev.quarry.jobs.ReindexDocumentJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Runs one document's share of a reindex. It never throws to JobRunr: a failure marks the job FAILED and
 * its parent, which watches its per-document jobs, dispatches the document again or gives up. That keeps
 * retries in one place, the parent, which knows when the whole reindex can no longer succeed.
 */
@Component
class ReindexDocumentJobHandler implements ReindexDocumentHandler {
    private static final Logger log = LoggerFactory.getLogger(ReindexDocumentJobHandler.class);
    private final PgReindexes reindexes;
    private final PgJobStore jobs;
    private final DocumentReembedding reembedding;
    private final EmbeddingCatalog catalog;

    ReindexDocumentJobHandler(PgReindexes reindexes, PgJobStore jobs, DocumentReembedding reembedding,
                              EmbeddingCatalog catalog) {
        this.reindexes = reindexes;
        this.jobs = jobs;
        this.reembedding = reembedding;
        this.catalog = catalog;
    }

    @Override
    public void run(ReindexDocumentJob job) {
        var task = reindexes.task(job.jobId(), job.tenantId()).orElse(null);
        if (task == null) {
            log.warn("reindex document job {} has no reindex; dropping it", job.jobId());
            return;
        }
        try {
            jobs.transition(job.jobId(), job.tenantId(), JobStatus.RUNNING, JobEventType.STARTED,
                    Map.of("documentId", task.documentId().toString()), null);
        } catch (IllegalTransitionException e) {
            log.info("reindex document job {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        try {
            int chunks = reembedding.reembed(job.tenantId(), task.documentId(), catalog.require(task.targetVersion()));
            jobs.transition(job.jobId(), job.tenantId(), JobStatus.SUCCEEDED, JobEventType.SUCCEEDED,
                    Map.of("documentId", task.documentId().toString(), "chunkCount", chunks), null);
        } catch (RuntimeException e) {
            log.warn("re-embedding document {} into {} failed: {}", task.documentId(), task.targetVersion(),
                    e.toString());
            jobs.transition(job.jobId(), job.tenantId(), JobStatus.FAILED, JobEventType.FAILED,
                    Map.of("documentId", task.documentId().toString()), e.getClass().getSimpleName() + ": "
                            + e.getMessage());
        }
    }
}
