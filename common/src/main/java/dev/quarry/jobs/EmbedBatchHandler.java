package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link EmbedBatchJob}s in the worker; {@code run} is a default method, see {@link IngestDocumentHandler}. */
public interface EmbedBatchHandler extends JobRequestHandler<EmbedBatchJob> {

    @Override
    default void run(EmbedBatchJob job) throws Exception {
        throw new IllegalStateException("no embedding batch handler in this process: jobs run in the worker");
    }
}
