package dev.quarry.jobs;

import java.util.UUID;

/** Delete a set of a tenant's documents; the ids are in the {@code document_deletions} row of {@code jobId}. */
public record DeleteDocumentsJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.DELETE_DOCUMENTS;
    }

    @Override
    public Class<DeleteDocumentsHandler> getJobRequestHandler() {
        return DeleteDocumentsHandler.class;
    }
}
