package dev.quarry.jobs;

import java.util.UUID;

/** Erase one data subject of a tenant; the subject is in the {@code erasures} row of {@code jobId}. */
public record ErasureJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.ERASURE;
    }

    @Override
    public Class<ErasureHandler> getJobRequestHandler() {
        return ErasureHandler.class;
    }
}
