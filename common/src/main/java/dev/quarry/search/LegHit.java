package dev.quarry.search;

import java.time.Instant;
import java.util.UUID;

/**
 * A chunk as one leg ranked it, with what fusion needs to decay and boost it.
 *
 * @param rank  1-based position in the leg
 * @param dated the document's published_at, else its created_at
 */
public record LegHit(long chunkId, UUID documentId, double score, int rank, String reliability, Instant dated,
              String collection) {
}
