package dev.quarry.jobs;

import java.util.UUID;

/** Ingest one stored document: extract, normalize, chunk, embed, store. Enqueued by the API, run by a worker. */
public record IngestDocumentJob(UUID jobId, UUID documentId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.INGEST;
    }

    @Override
    public Class<IngestDocumentHandler> getJobRequestHandler() {
        return IngestDocumentHandler.class;
    }
}
