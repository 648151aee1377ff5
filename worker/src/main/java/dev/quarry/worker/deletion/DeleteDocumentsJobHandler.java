package dev.quarry.worker.deletion;

import dev.quarry.deletion.DocumentDeletion;
import dev.quarry.deletion.DocumentDeletions;
import dev.quarry.jobs.DeleteDocumentsHandler;
import dev.quarry.jobs.DeleteDocumentsJob;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;

/**
 * Deletes a DELETE_DOCUMENTS job's documents, each with everything derived from it, one per transaction,
 * reporting progress and checking for a cancel request between documents (what was deleted stays deleted).
 * A re-run after a crash continues with the documents that still exist. A failure is thrown to JobRunr and
 * retried on the {@code delete_documents} schedule.
 */
@Component
class DeleteDocumentsJobHandler implements DeleteDocumentsHandler {
    private static final Logger log = LoggerFactory.getLogger(DeleteDocumentsJobHandler.class);
    private final DocumentDeletions deletions;
    private final DocumentDeletion deletion;
    private final JobLifecycle lifecycle;
    private final TransactionTemplate tx;

    DeleteDocumentsJobHandler(DocumentDeletions deletions, DocumentDeletion deletion, JobLifecycle lifecycle,
                              TransactionTemplate tx) {
        this.deletions = deletions;
        this.deletion = deletion;
        this.lifecycle = lifecycle;
        this.tx = tx;
    }

    @Override
    public void run(DeleteDocumentsJob job) {
        try {
            lifecycle.start(job.jobId(), job.tenantId(), JobEventData.Started.NOTHING);
        } catch (IllegalTransitionException e) {
            log.info("deletion {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        List<UUID> remaining = deletions.remaining(job.jobId(), job.tenantId());
        int done = deletions.deleted(job.jobId());
        int total = done + remaining.size();
        for (UUID documentId : remaining) {
            if (lifecycle.cancelRequested(job.jobId())) {
                tx.executeWithoutResult(s -> lifecycle.cancel(job.jobId(), job.tenantId(),
                        JobEventData.Cancelled.because("cancelled; the documents deleted before stay deleted")));
                return;
            }
            tx.executeWithoutResult(s -> deletion.delete(job.tenantId(), documentId)
                    .ifPresent(deleted -> deletions.counted(job.jobId(), deleted)));
            lifecycle.progress(job.jobId(), job.tenantId(), new JobEventData.Progress("delete", ++done, total));
        }
        lifecycle.succeed(job.jobId(), job.tenantId(), JobEventData.Succeeded.NOTHING);
        log.info("deletion {} finished: {} documents", job.jobId(), done);
    }
}
