package dev.quarry.reindex;

import java.util.UUID;

/** A {@code reindexes} row: its parent job, the versions, and whether it still holds its tenant. */
public record Reindex(UUID jobId, String tenantId, String sourceVersion, String targetVersion, boolean finished) {
}
