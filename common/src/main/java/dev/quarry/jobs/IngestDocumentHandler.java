package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Runs {@link IngestDocumentJob}s; implemented in the worker. The API only needs the type, to enqueue.
 * {@code run} is redeclared with the concrete parameter type because JobRunr looks the method up by it
 * when the job is enqueued, and an inherited generic method is erased to {@code run(JobRequest)}.
 */
public interface IngestDocumentHandler extends JobRequestHandler<IngestDocumentJob> {

    @Override
    void run(IngestDocumentJob job) throws Exception;
}
