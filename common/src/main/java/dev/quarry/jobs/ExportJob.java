package dev.quarry.jobs;

import java.util.UUID;

/**
 * Write one export file: what to export is the {@code exports} row whose id is {@code jobId}. Enqueued by
 * {@code dev.quarry.exports.Exports}, alone or as a child of an {@link BulkExportJob}.
 */
public record ExportJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.EXPORT;
    }

    @Override
    public Class<ExportHandler> getJobRequestHandler() {
        return ExportHandler.class;
    }
}
