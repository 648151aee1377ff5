package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Runs {@link IngestDocumentJob}s; implemented by the worker, which JobRunr finds in the Spring context by
 * this type. The API only needs the type, to enqueue.
 * <p>
 * {@code run} is redeclared with the concrete parameter type, and as a default method, because JobRunr
 * checks at enqueue time that the handler type has a concrete {@code run(IngestDocumentJob)}: an
 * inherited generic method is erased to {@code run(JobRequest)}, and an abstract one is refused.
 */
public interface IngestDocumentHandler extends JobRequestHandler<IngestDocumentJob> {

    @Override
    default void run(IngestDocumentJob job) throws Exception {
        throw new IllegalStateException("no ingest handler in this process: jobs run in the worker");
    }
}
