package dev.quarry.jobs;

import java.util.UUID;

/**
 * Re-embed one document's current chunks into the target version of the reindex that is this job's parent
 * ({@code jobs.parent_job_id}; the document is {@code jobs.document_id}). Enqueued by the reindex job.
 */
public record ReindexDocumentJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.REINDEX_DOCUMENT;
    }

    @Override
    public Class<ReindexDocumentHandler> getJobRequestHandler() {
        return ReindexDocumentHandler.class;
    }
}
