package dev.quarry.conversations;

import java.time.Instant;
import java.util.UUID;

/**
 * One message of a thread, whole.
 *
 * @param metadata the message's JSON metadata as stored (for an answer: its citations, model and tokens)
 * @param jobId    the CHAT job this user message started, or that wrote this assistant answer; null otherwise
 */
public record Message(UUID id, UUID conversationId, MessageRole role, String content, String metadata, UUID jobId,
                      Instant createdAt) {
}
