package dev.quarry.jobs;

import java.util.function.Function;

/**
 * Job families; the name is stored in {@code jobs.type} (a CHECK constraint lists them) and the {@link #tag}
 * is the metric tag and the key of {@code quarry.retry.<tag>} and {@code quarry.jobs.max-running.<tag>}. Each family is registered here once, with how
 * its JobRunr request is built from its {@code jobs} row: that is all the outbox and requeues need.
 */
public enum JobType {
    /** An upload or one document's re-ingest: someone waits for it. A bulk re-ingest runs at {@link JobPriority#BULK_INGEST}. */
    INGEST(80, job -> new IngestDocumentJob(job.id(), job.documentId(), job.tenantId())),
    /** Re-embeds a tenant's chunks into another embedding version, then switches the tenant to it. */
    REINDEX(40, job -> new ReindexJob(job.id(), job.tenantId())),
    /** One document's chunks re-embedded for a {@link #REINDEX}, which is its parent job. */
    REINDEX_DOCUMENT(40, job -> new ReindexDocumentJob(job.id(), job.tenantId())),
    /** Writes one export file (its {@code exports} row says what); alone or a child of {@link #EXPORT_BULK}. */
    EXPORT(30, job -> new ExportJob(job.id(), job.tenantId())),
    /** Several scopes exported in one request: the parent to follow, one {@link #EXPORT} child per scope. */
    EXPORT_BULK(30, job -> new BulkExportJob(job.id(), job.tenantId())),
    /** Erases a data subject: their documents and everything derived, and their name in the audit trail. */
    ERASURE(20, job -> new ErasureJob(job.id(), job.tenantId())),
    /** Deletes a set of documents (a bulk deletion, or one document too large to delete within a request). */
    DELETE_DOCUMENTS(20, job -> new DeleteDocumentsJob(job.id(), job.tenantId())),
    /**
     * Answers a user's message in a conversation, grounded on the tenant's documents (the message names the job).
     * Ahead of uploads: a person is waiting for the answer, token by token.
     */
    CHAT(90, job -> new ChatJob(job.id(), job.tenantId())),
    /**
     * Embeds a client's texts into a results file ({@code dev.quarry.embedding.batch}). Behind uploads and bulk
     * re-ingest: like the providers' batch APIs it is offline work that nobody watches token by token, and
     * ingest keeps the tenant's search current; ahead of reindex and exports, which an operator schedules.
     */
    EMBED_BATCH(50, job -> new EmbedBatchJob(job.id(), job.tenantId()));

    private final int defaultPriority;
    private final Function<Job, QuarryJobRequest> request;

    JobType(int defaultPriority, Function<Job, QuarryJobRequest> request) {
        this.defaultPriority = defaultPriority;
        this.request = request;
    }

    /**
     * Where this type's jobs stand in the queue unless their request says otherwise ({@link JobPriority}):
     * interactive ingest, then bulk re-ingest, embedding batches, reindex, export, and last erasure and
     * deletion, which have days to finish (the V28 migration gave the jobs waiting at the upgrade the same values).
     */
    public int defaultPriority() {
        return defaultPriority;
    }

    public String tag() {
        return name().toLowerCase();
    }

    /** The JobRunr request that runs {@code job}, a job of this type. */
    public QuarryJobRequest requestFor(Job job) {
        if (job.type() != this) throw new IllegalArgumentException(job.id() + " is a " + job.type() + " job, not " + this);
        return request.apply(job);
    }
}
