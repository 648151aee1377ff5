package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link ExportJob}s in the worker; {@code run} is a default method, see {@link IngestDocumentHandler}. */
public interface ExportHandler extends JobRequestHandler<ExportJob> {

    @Override
    default void run(ExportJob job) throws Exception {
        throw new IllegalStateException("no export handler in this process: jobs run in the worker");
    }
}
