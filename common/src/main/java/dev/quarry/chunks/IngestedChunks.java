package dev.quarry.chunks;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A document's chunks as one ingest cut them, in one embedding version. {@code stamp} is that ingest's
 * transaction time, shared by every version copied from it: it is what makes chunks current (see
 * {@code PgEmbeddingVersions}).
 */
public record IngestedChunks(OffsetDateTime stamp, String version, List<StoredChunk> chunks) {
}
