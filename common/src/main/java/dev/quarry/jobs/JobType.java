package dev.quarry.jobs;

/** Job families; the value is stored in {@code jobs.type} and used as a metric tag. */
public enum JobType {
    INGEST,
    /** Re-embeds a tenant's chunks into another embedding version, then switches the tenant to it. */
    REINDEX,
    /** One document's chunks re-embedded for a {@link #REINDEX}, which is its parent job. */
    REINDEX_DOCUMENT;

    public String tag() {
        return name().toLowerCase();
    }
}
