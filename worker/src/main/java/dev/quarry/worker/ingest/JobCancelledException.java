package dev.quarry.worker.ingest;

/**
 * The job's cancellation was requested: the attempt stops where it is, everything it has not committed
 * rolls back, and the handler moves the job from CANCEL_REQUESTED to CANCELLED.
 */
final class JobCancelledException extends RuntimeException {
    JobCancelledException() {
        super("the job's cancellation was requested", null, false, false);
    }
}
