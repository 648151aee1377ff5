package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Runs {@link ChatJob}s in the worker; {@code run} is a default method, see {@link IngestDocumentHandler}. */
public interface ChatHandler extends JobRequestHandler<ChatJob> {

    @Override
    default void run(ChatJob job) throws Exception {
        throw new IllegalStateException("no chat handler in this process: jobs run in the worker");
    }
}
