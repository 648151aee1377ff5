package dev.quarry.api.embeddings;

import java.util.List;

/**
 * The body of {@code POST /api/v1/embeddings/batches}: the texts, each with the caller's id, and optionally the
 * model (the tenant's active version's tag, or its model name), which a client states to be sure its vectors
 * are comparable with the ones it has.
 */
record BatchSubmission(String model, List<Item> items) {

    record Item(String id, String text) {
    }
}
