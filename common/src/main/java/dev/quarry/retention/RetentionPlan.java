package dev.quarry.retention;

/** How many rows of each kind a sweep deletes (a dry run), or deleted. */
public record RetentionPlan(long documents, long jobs, long deadLetters, long auditEntries) {
}
