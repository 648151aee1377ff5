package dev.quarry.deletion;

import java.util.UUID;

/** What deleting one document removed: its chunks (with their vectors), cache entries and cancelled jobs. */
public record DocumentDeleted(UUID documentId, int chunks, int cacheEntries, int jobsCancelled) {
}
