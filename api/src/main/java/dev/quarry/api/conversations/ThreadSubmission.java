package dev.quarry.api.conversations;

import java.util.List;

/**
 * The body of {@code POST /api/v1/conversations} and {@code PATCH /api/v1/conversations/{id}}; a field left
 * out is left as it is. Giving {@code provider} or {@code model} switches the thread's model (a blank one
 * goes back to the default).
 */
record ThreadSubmission(String title, List<String> collections, String provider, String model, Boolean pinned,
                        Boolean archived) {
}
