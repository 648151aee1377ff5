package dev.quarry.worker.erasure;

import dev.quarry.analytics.PgApiRequests;
import dev.quarry.audit.AuditRecord;
import dev.quarry.audit.AuditTrail;
import dev.quarry.conversations.PgConversations;
import dev.quarry.deletion.DocumentDeletion;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.embedding.batch.EmbeddingBatches;
import dev.quarry.erasure.Erasures;
import dev.quarry.exports.Exports;
import dev.quarry.idempotency.PgIdempotencyKeys;
import dev.quarry.jobs.ErasureHandler;
import dev.quarry.jobs.ErasureJob;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.PgJobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Erases a data subject of a tenant: each document they uploaded is deleted with everything derived from it
 * ({@link DocumentDeletion}), together with its finished jobs and the idempotency records whose stored
 * response names it, one document per transaction (no long locks, and a crash loses at most the document in
 * hand). Then the files of exports of their documents or requested by them are deleted ({@link Exports#eraseSubject};
 * after the documents, so that an export still running finds none of theirs), so are the texts and results of
 * the embedding batches they submitted ({@link EmbeddingBatches#eraseSubject}), their conversations go with their
 * CHAT jobs ({@link PgConversations#eraseOwner}), their tracked API requests ({@link PgApiRequests#eraseSubject}),
 * their name leaves the audit trail (the entries keep a pseudonym), the tenant's search
 * statistics are refreshed so no term of theirs survives in them, and the receipt is closed. Idempotent: a run
 * after a crash, or a second erasure of the same subject, finds less or nothing left and still succeeds.
 * A failure is thrown to JobRunr and retried on the {@code erasure} schedule. Logs carry the job id, never
 * the subject.
 */
@Component
class ErasureJobHandler implements ErasureHandler {
    private static final Logger log = LoggerFactory.getLogger(ErasureJobHandler.class);
    private static final int BATCH = 100;
    private final Erasures erasures;
    private final PgDocumentStore documents;
    private final DocumentDeletion deletion;
    private final PgJobStore jobs;
    private final PgIdempotencyKeys idempotency;
    private final AuditTrail audit;
    private final JobLifecycle lifecycle;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final Exports exports;
    private final PgConversations conversations;
    private final EmbeddingBatches embeddingBatches;
    private final PgApiRequests apiRequests;

    ErasureJobHandler(Erasures erasures, PgDocumentStore documents, DocumentDeletion deletion, PgJobStore jobs,
                      PgIdempotencyKeys idempotency, AuditTrail audit, JobLifecycle lifecycle, TransactionTemplate tx,
                      JdbcClient jdbc, Exports exports, PgConversations conversations,
                      EmbeddingBatches embeddingBatches, PgApiRequests apiRequests) {
        this.erasures = erasures;
        this.documents = documents;
        this.deletion = deletion;
        this.jobs = jobs;
        this.idempotency = idempotency;
        this.audit = audit;
        this.lifecycle = lifecycle;
        this.tx = tx;
        this.jdbc = jdbc;
        this.exports = exports;
        this.conversations = conversations;
        this.embeddingBatches = embeddingBatches;
        this.apiRequests = apiRequests;
    }

    @Override
    public void run(ErasureJob job) {
        try {
            lifecycle.start(job.jobId(), job.tenantId(), JobEventData.Started.NOTHING);
        } catch (IllegalTransitionException e) {
            log.info("erasure {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        String subject = erasures.pendingSubject(job.jobId()).orElse(null);
        int erased = subject == null ? 0 : eraseDocuments(job, subject);
        int exportFiles = subject == null ? 0 : exports.eraseSubject(job.tenantId(), subject);
        int batches = subject == null ? 0 : embeddingBatches.eraseSubject(job.tenantId(), subject);
        int threads = subject == null ? 0 : eraseConversations(job.tenantId(), subject);
        int requests = subject == null ? 0 : apiRequests.eraseSubject(job.tenantId(), subject);
        int forgotten = subject == null ? 0 : audit.forgetActor(subject);
        refreshSearchStatistics(job.tenantId());
        tx.executeWithoutResult(s -> {
            erasures.finish(job.jobId(), forgotten);
            lifecycle.succeed(job.jobId(), job.tenantId(), JobEventData.Succeeded.NOTHING);
        });
        audit.record(AuditRecord.system("erasure", job.tenantId(), "ERASE subject", "job=" + job.jobId(),
                "succeeded documents=" + erased + " exportFiles=" + exportFiles + " embeddingBatches=" + batches
                        + " conversations=" + threads + " apiRequests=" + requests));
        log.info("erasure {} finished: {} documents, {} export files, {} embedding batches, {} conversations, "
                + "{} tracked requests", job.jobId(), erased, exportFiles, batches, threads, requests);
    }

    private int eraseDocuments(ErasureJob job, String subject) {
        int erased = 0;
        List<UUID> batch;
        while (!(batch = documents.uploadedBy(job.tenantId(), subject, BATCH)).isEmpty()) {
            for (UUID documentId : batch) {
                tx.executeWithoutResult(s -> {
                    // Before the document goes: its deletion unlinks the jobs (V1's on delete set null).
                    int jobsDeleted = jobs.deleteFinishedOfDocument(job.tenantId(), documentId);
                    deletion.delete(job.tenantId(), documentId).ifPresent(deleted -> {
                        idempotency.forgetResponsesMentioning(job.tenantId(), documentId.toString());
                        erasures.counted(job.jobId(), deleted, jobsDeleted);
                    });
                });
                erased++;
            }
            lifecycle.progress(job.jobId(), job.tenantId(),
                    new JobEventData.Progress("erase", erased, erased, Map.of()));
        }
        return erased;
    }

    /** The subject's threads and messages, and their finished CHAT jobs, whose events hold the answers. */
    private int eraseConversations(String tenant, String subject) {
        return tx.execute(s -> {
            PgConversations.Erased erased = conversations.eraseOwner(tenant, subject);
            jobs.deleteFinished(erased.chatJobs());
            return erased.threads();
        });
    }

    /** Chunks deleted mark the statistics dirty; refreshing now drops the subject's terms from them at once. */
    private void refreshSearchStatistics(String tenant) {
        for (String version : jdbc.sql("select distinct embedding_version from search_stats_dirty where tenant_id = ?")
                .param(tenant).query(String.class).list()) {
            jdbc.sql("select quarry_refresh_search_stats(?, ?)").params(tenant, version).query(Boolean.class).single();
        }
    }
}
