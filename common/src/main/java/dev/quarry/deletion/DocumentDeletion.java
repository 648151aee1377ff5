package dev.quarry.deletion;

import dev.quarry.chunks.PgChunkStore;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.embedding.EmbeddingCacheEviction;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.PgJobStore;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Optional;
import java.util.UUID;

/**
 * Deletes a document and everything derived from it, each table through its owner, in one transaction: its
 * unfinished jobs are cancelled first (a waiting one at once, a running one asked to stop), then its
 * embedding-cache entries that nothing else uses, its chunks and vectors, and the document with its bytes,
 * texts and pipeline checkpoints. Search statistics follow by themselves: deleting chunks marks the tenant's
 * statistics dirty (V2's trigger), and the next search refreshes them.
 *
 * <p>The document's row is locked first, so an ingest that is storing its chunks right now either commits
 * before (and its chunks are deleted here) or finds the document gone and stops. Jobs keep their history,
 * without the document.
 */
@Service
public class DocumentDeletion {
    private final PgDocumentStore documents;
    private final PgChunkStore chunks;
    private final EmbeddingCacheEviction cache;
    private final PgJobStore jobs;
    private final JobLifecycle lifecycle;
    private final JobDispatcher dispatcher;

    DocumentDeletion(PgDocumentStore documents, PgChunkStore chunks, EmbeddingCacheEviction cache, PgJobStore jobs,
                     JobLifecycle lifecycle, JobDispatcher dispatcher) {
        this.documents = documents;
        this.chunks = chunks;
        this.cache = cache;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
    }

    /** @return empty when the tenant has no such document (another tenant's is not seen) */
    @Transactional
    public Optional<DocumentDeleted> delete(String tenant, UUID documentId) {
        if (!documents.lock(tenant, documentId)) return Optional.empty();
        int cancelled = 0;
        for (Job job : jobs.unfinishedForDocument(tenant, documentId)) {
            if (stop(job)) cancelled++;
        }
        int cacheEntries = cache.evictUnusedOf(tenant, documentId);
        int deletedChunks = chunks.deleteDocument(tenant, documentId);
        documents.delete(tenant, documentId);
        return Optional.of(new DocumentDeleted(documentId, deletedChunks, cacheEntries, cancelled));
    }

    private boolean stop(Job job) {
        try {
            switch (job.status()) {
                case QUEUED, RETRY_SCHEDULED -> {
                    lifecycle.cancel(job.id(), job.tenantId(), JobEventData.Cancelled.because("its document was deleted"));
                    withdrawAfterCommit(job.id());
                }
                case RUNNING -> lifecycle.requestCancel(job.id(), job.tenantId(), JobEventData.CancelRequested.BY_CLIENT);
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IllegalTransitionException movedMeanwhile) {
            // A worker moved it between the read and the cancel: it will find the document gone and stop.
            return false;
        }
    }

    private void withdrawAfterCommit(UUID jobId) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                dispatcher.withdraw(jobId);
            }
        });
    }
}
