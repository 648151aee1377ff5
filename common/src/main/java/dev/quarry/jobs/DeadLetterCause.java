package dev.quarry.jobs;

/**
 * Why a job is dead-lettered, as an operator reads it in {@code dead_letter_jobs}. {@code attempts} counts the
 * failed runs of the current attempt cycle.
 */
public record DeadLetterCause(String errorClass, String message, String rootCause, Classification classification,
                              int attempts) {

    public enum Classification {
        /** Another attempt cannot succeed (corrupt file, unsupported type): no retries were spent. */
        PERMANENT,
        /** Transient failures until Quarry's retry schedule ran out. */
        RETRIES_EXHAUSTED
    }

    /** What the job row's {@code error} says. */
    String error() {
        return message == null ? errorClass : message;
    }
}
