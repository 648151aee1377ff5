package dev.quarry.jobs;

import java.util.UUID;

/**
 * The parent of a bulk export: one {@link ExportJob} per scope ({@code jobs.parent_job_id} = {@code jobId}),
 * created with it. It reports their progress and ends when they all have.
 */
public record BulkExportJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.EXPORT_BULK;
    }

    @Override
    public Class<BulkExportHandler> getJobRequestHandler() {
        return BulkExportHandler.class;
    }
}
