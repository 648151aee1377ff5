package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link ReindexJob}s in the worker; {@code run} is a default method, see {@link IngestDocumentHandler}. */
public interface ReindexHandler extends JobRequestHandler<ReindexJob> {

    @Override
    default void run(ReindexJob job) throws Exception {
        throw new IllegalStateException("no reindex handler in this process: jobs run in the worker");
    }
}
