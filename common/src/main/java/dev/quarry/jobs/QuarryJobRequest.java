package dev.quarry.jobs;

import org.jobrunr.jobs.lambdas.JobRequest;

import java.util.UUID;

/**
 * A JobRunr request that runs one of Quarry's jobs: it names the {@code jobs} row it runs. Every job family's
 * request implements this, which is how the retry policy and dead letters recognise Quarry's jobs among
 * JobRunr's (recurring maintenance jobs keep JobRunr's own retries).
 */
public interface QuarryJobRequest extends JobRequest {
    UUID jobId();

    String tenantId();

    JobType jobType();
}
