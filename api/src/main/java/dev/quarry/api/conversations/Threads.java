package dev.quarry.api.conversations;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.PgConversations;

import java.util.UUID;

/** Finding the caller's own threads: another user's thread, or another tenant's, is not found (404). */
final class Threads {
    private Threads() {
    }

    /** The caller's {@code sub}, which owns their threads. */
    static String owner(Caller caller) {
        if (caller.subject() == null || caller.subject().isBlank()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN, "conversations need a token with a sub");
        }
        return caller.subject();
    }

    /** The caller's thread, also from the trash. */
    static Conversation any(PgConversations conversations, Caller caller, UUID id) {
        return conversations.find(caller.tenant(), owner(caller), id)
                .orElseThrow(() -> ApiProblem.notFound("conversation", id));
    }

    /** The caller's thread, not in the trash: the only kind that takes new messages and changes. */
    static Conversation live(PgConversations conversations, Caller caller, UUID id) {
        Conversation thread = any(conversations, caller, id);
        if (thread.deleted()) {
            throw new ApiProblem(ProblemKind.NOT_FOUND, "conversation " + id + " is in the trash; restore it first");
        }
        return thread;
    }
}
