package dev.quarry.retention;

/** How many rows of each kind a sweep deletes (a dry run), or deleted; export files are counted per export. */
public record RetentionPlan(long documents, long jobs, long deadLetters, long auditEntries, long exportFiles,
                            long apiRequests) {
}
