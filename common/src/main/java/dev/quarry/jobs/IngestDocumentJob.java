package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequest;

import java.util.UUID;

/** Ingest one stored document: extract, normalize, chunk, embed, store. Enqueued by the API, run by a worker. */
public record IngestDocumentJob(UUID jobId, UUID documentId, String tenantId) implements JobRequest {

    @Override
    public Class<IngestDocumentHandler> getJobRequestHandler() {
        return IngestDocumentHandler.class;
    }
}
