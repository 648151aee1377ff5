package dev.quarry.jobs;

/** Job families; the value is stored in {@code jobs.type} and used as a metric tag. */
public enum JobType {
    INGEST;

    public String tag() {
        return name().toLowerCase();
    }
}
