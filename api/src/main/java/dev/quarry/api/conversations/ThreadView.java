package dev.quarry.api.conversations;

import dev.quarry.conversations.Conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A thread as the API shows it; {@code deletedAt} is set while it is in the trash. */
record ThreadView(UUID id, String title, List<String> collections, String provider, String model, boolean pinned,
                  boolean archived, Instant deletedAt, Instant createdAt, Instant updatedAt) {

    static ThreadView of(Conversation c) {
        return new ThreadView(c.id(), c.title(), c.collections(), c.provider(), c.model(), c.pinned(), c.archived(),
                c.deletedAt(), c.createdAt(), c.updatedAt());
    }

    /** A page of threads; {@code nextCursor} is null on the last page. */
    record Page(List<ThreadView> threads, String nextCursor) {
    }
}
