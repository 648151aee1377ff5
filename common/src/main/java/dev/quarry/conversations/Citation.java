package dev.quarry.conversations;

import java.util.UUID;

/**
 * A passage a grounded answer may cite, as {@code [number]} in the prompt and the answer.
 *
 * @param text the chunk's text (already bounded by the search's hit size)
 */
public record Citation(int number, long chunkId, UUID documentId, String title, int ordinal, String collection,
                       double score, String text) {
}
