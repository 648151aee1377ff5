package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link DeleteDocumentsJob}s in the worker; {@code run} is a default method, see {@link IngestDocumentHandler}. */
public interface DeleteDocumentsHandler extends JobRequestHandler<DeleteDocumentsJob> {

    @Override
    default void run(DeleteDocumentsJob job) throws Exception {
        throw new IllegalStateException("no deletion handler in this process: jobs run in the worker");
    }
}
