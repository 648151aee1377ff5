package dev.quarry.documents;

/**
 * A document's indexing status, stored in {@code documents.status} (whose CHECK constraint lists these names;
 * {@code DocumentStatusIT} compares the two). Only {@link PgDocumentStore} changes it.
 */
public enum DocumentStatus {
    /** Uploaded, or its content replaced: its current content is not stored as chunks yet. */
    PENDING,
    /** Its current content is stored as chunks. */
    INDEXED,
    /** Its ingest was dead-lettered: the current content will not be indexed without a new ingest. */
    FAILED
}
