package dev.quarry.jobs;

import java.util.UUID;

/**
 * Re-embed one tenant's chunks into a target embedding version and switch the tenant's searches to it. The
 * source and target versions are in the {@code reindexes} row of {@code jobId}. Enqueued by the API.
 */
public record ReindexJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.REINDEX;
    }

    @Override
    public Class<ReindexHandler> getJobRequestHandler() {
        return ReindexHandler.class;
    }
}
