package dev.quarry.reindex;

/** The tenant has a reindex running; it may start another once that one has ended. */
public class ReindexInProgressException extends RuntimeException {
    public ReindexInProgressException(String tenant) {
        super("a reindex of tenant " + tenant + " is already running");
    }
}
