package dev.quarry.jobs;

import java.util.UUID;

/** A status change the transition table does not allow, or a job that moved on concurrently. */
public class IllegalTransitionException extends RuntimeException {
    private final JobStatus current;

    public IllegalTransitionException(UUID jobId, JobStatus current, JobStatus target) {
        super("job " + jobId + " cannot move from " + current + " to " + target);
        this.current = current;
    }

    public JobStatus current() {
        return current;
    }
}
