package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link BulkExportJob}s in the worker; {@code run} is a default method, see {@link IngestDocumentHandler}. */
public interface BulkExportHandler extends JobRequestHandler<BulkExportJob> {

    @Override
    default void run(BulkExportJob job) throws Exception {
        throw new IllegalStateException("no bulk export handler in this process: jobs run in the worker");
    }
}
