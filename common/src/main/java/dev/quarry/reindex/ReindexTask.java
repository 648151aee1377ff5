package dev.quarry.reindex;

import java.util.UUID;

/** What one per-document job of a reindex works on. */
public record ReindexTask(UUID documentId, UUID reindexJobId, String targetVersion) {
}
