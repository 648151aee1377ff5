package dev.quarry.jobs;

import java.util.function.Function;

/**
 * Job families; the name is stored in {@code jobs.type} (a CHECK constraint lists them) and the {@link #tag}
 * is the metric tag and the key of {@code quarry.retry.<tag>}. Each family is registered here once, with how
 * its JobRunr request is built from its {@code jobs} row: that is all the outbox and requeues need.
 */
public enum JobType {
    INGEST(job -> new IngestDocumentJob(job.id(), job.documentId(), job.tenantId())),
    /** Re-embeds a tenant's chunks into another embedding version, then switches the tenant to it. */
    REINDEX(job -> new ReindexJob(job.id(), job.tenantId())),
    /** One document's chunks re-embedded for a {@link #REINDEX}, which is its parent job. */
    REINDEX_DOCUMENT(job -> new ReindexDocumentJob(job.id(), job.tenantId())),
    /** Writes one export file (its {@code exports} row says what); alone or a child of {@link #EXPORT_BULK}. */
    EXPORT(job -> new ExportJob(job.id(), job.tenantId())),
    /** Several scopes exported in one request: the parent to follow, one {@link #EXPORT} child per scope. */
    EXPORT_BULK(job -> new BulkExportJob(job.id(), job.tenantId())),
    /** Erases a data subject: their documents and everything derived, and their name in the audit trail. */
    ERASURE(job -> new ErasureJob(job.id(), job.tenantId())),
    /** Deletes a set of documents (a bulk deletion, or one document too large to delete within a request). */
    DELETE_DOCUMENTS(job -> new DeleteDocumentsJob(job.id(), job.tenantId())),
    /** Answers a user's message in a conversation, grounded on the tenant's documents (the message names the job). */
    CHAT(job -> new ChatJob(job.id(), job.tenantId()));

    private final Function<Job, QuarryJobRequest> request;

    JobType(Function<Job, QuarryJobRequest> request) {
        this.request = request;
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
