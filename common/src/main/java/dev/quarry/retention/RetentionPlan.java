package dev.quarry.retention;

/**
 * How many rows of each kind a sweep deletes (a dry run), or deleted; export files are counted per export,
 * embedding results per batch.
 */
public record RetentionPlan(long documents, long jobs, long deadLetters, long auditEntries, long exportFiles,
                            long embeddingResults, long apiRequests) {
}
