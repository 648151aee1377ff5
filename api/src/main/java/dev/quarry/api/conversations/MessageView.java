package dev.quarry.api.conversations;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.quarry.conversations.Message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A message, whole; {@code metadata} is its stored JSON object and {@code jobId} its CHAT job, if any. */
record MessageView(UUID id, UUID conversationId, String role, String content, @JsonRawValue String metadata,
                   UUID jobId, Instant createdAt) {

    static MessageView of(Message m) {
        return new MessageView(m.id(), m.conversationId(), m.role().wire(), m.content(), m.metadata(), m.jobId(),
                m.createdAt());
    }

    /** What a POST answers: the stored message without its content (which may be megabytes), and its size. */
    record Stored(UUID id, UUID conversationId, String role, long bytes, UUID jobId, Instant createdAt) {
        static Stored of(Message m) {
            return new Stored(m.id(), m.conversationId(), m.role().wire(),
                    m.content().getBytes(StandardCharsets.UTF_8).length, m.jobId(), m.createdAt());
        }
    }

    /** A page of a thread's messages, oldest first; {@code nextCursor} is null on the last page. */
    record Page(List<MessageView> messages, String nextCursor) {
    }
}
