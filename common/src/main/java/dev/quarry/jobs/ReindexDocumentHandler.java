package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link ReindexDocumentJob}s in the worker; {@code run} is a default method (see IngestDocumentHandler). */
public interface ReindexDocumentHandler extends JobRequestHandler<ReindexDocumentJob> {

    @Override
    default void run(ReindexDocumentJob job) throws Exception {
        throw new IllegalStateException("no reindex handler in this process: jobs run in the worker");
    }
}
