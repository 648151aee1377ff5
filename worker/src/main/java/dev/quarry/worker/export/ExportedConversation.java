package dev.quarry.worker.export;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A thread as exporters see it; its messages follow it one by one ({@link Exporter.ConversationWriter}), so a
 * thread of many large messages is never held in memory whole.
 *
 * @param deletedAt set when the thread is in the trash (only a one-thread export holds such a thread)
 */
public record ExportedConversation(UUID id, String title, List<String> collections, String provider, String model,
                                   boolean pinned, boolean archived, Instant deletedAt, Instant createdAt,
                                   Instant updatedAt) {

    /**
     * One message, whole.
     *
     * @param metadata its JSON object, as stored
     * @param jobId    the CHAT job that asked or answered it, if any
     */
    public record Message(UUID id, String role, String content, String metadata, UUID jobId, Instant createdAt) {
    }
}
