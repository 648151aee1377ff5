package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link ErasureJob}s in the worker; {@code run} is a default method, see {@link IngestDocumentHandler}. */
public interface ErasureHandler extends JobRequestHandler<ErasureJob> {

    @Override
    default void run(ErasureJob job) throws Exception {
        throw new IllegalStateException("no erasure handler in this process: jobs run in the worker");
    }
}
