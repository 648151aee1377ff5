package dev.quarry.api.conversations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.budgets.Budgets;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.jobs.QueueDepthGuard;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.conversations.ChatProperties;
import dev.quarry.conversations.Chats;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.MessageRole;
import dev.quarry.conversations.ModelChoice;
import dev.quarry.conversations.PgConversations;
import dev.quarry.jobs.JobType;
import dev.quarry.llm.UnknownModelException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts a question: checks it (the caller's live thread, a message that is not empty and not over
 * {@code quarry.chat.max-message-bytes}, a model that can answer), then, in one transaction with the
 * idempotency record, stores the user message and its CHAT job ({@link Chats#ask}) and charges the question's
 * tokens to today's budgets. A refused question leaves nothing behind.
 */
@Component
class ChatIntake {
    private final IdempotencyKeys idempotency;
    private final PgConversations conversations;
    private final Chats chats;
    private final ModelChoice models;
    private final QueueDepthGuard backpressure;
    private final Budgets budgets;
    private final ChatProperties properties;
    private final ObjectMapper json;

    ChatIntake(IdempotencyKeys idempotency, PgConversations conversations, Chats chats, ModelChoice models,
               QueueDepthGuard backpressure, Budgets budgets, ChatProperties properties, ObjectMapper json) {
        this.idempotency = idempotency;
        this.conversations = conversations;
        this.chats = chats;
        this.models = models;
        this.backpressure = backpressure;
        this.budgets = budgets;
        this.properties = properties;
        this.json = json;
    }

    /** What a client gets for an accepted question, now and on every replay: follow {@code events}. */
    record Accepted(UUID conversationId, UUID messageId, UUID jobId, String status, String events) {
    }

    ResponseEntity<String> accept(Caller caller, UUID threadId, String key, String traceParent, MessageSubmission body) {
        String path = ConversationsController.PATH + "/" + threadId + "/chat";
        String metadata = body == null ? "{}" : MessagesController.metadata(json, body.metadata());
        String content = body == null ? "" : body.content() == null ? "" : body.content();
        IdempotentRequest request = IdempotentRequest.of(caller.tenant(), key, "POST", path,
                content.getBytes(StandardCharsets.UTF_8), metadata.getBytes(StandardCharsets.UTF_8));
        return idempotency.execute(request, () -> ask(caller, threadId, key, traceParent, body, metadata));
    }

    private StoredResponse ask(Caller caller, UUID threadId, String key, String traceParent, MessageSubmission body,
                               String metadata) {
        Conversation thread = Threads.live(conversations, caller, threadId);
        if (body == null) throw new ApiProblem(ProblemKind.EMPTY_MESSAGE, "the message has no content");
        if (body.role() != null && MessageRole.parse(body.role()).filter(MessageRole.USER::equals).isEmpty()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "a chat question's role is user");
        }
        String content = MessagesController.content(body);
        long bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > properties.maxMessageBytes().toBytes()) {
            throw new ApiProblem(ProblemKind.PAYLOAD_TOO_LARGE, "the message is " + bytes + " bytes; a question may "
                    + "have at most " + properties.maxMessageBytes().toBytes() + " (quarry.chat.max-message-bytes)");
        }
        try {
            models.strict(thread);
        } catch (UnknownModelException e) {
            throw new ApiProblem(ProblemKind.UNKNOWN_MODEL, e.getMessage() + "; change the thread's model");
        } catch (ModelChoice.NotConfiguredException e) {
            throw new ApiProblem(ProblemKind.MODEL_NOT_CONFIGURED, e.getMessage() + "; change the thread's model");
        }
        backpressure.admit(JobType.CHAT);
        Chats.Asked asked = chats.ask(thread, content, metadata, key, traceParent);
        // Last, as for uploads: the budget row stays locked only until the commit; a refusal rolls back the rest.
        budgets.admit(caller.tenant(), caller.subject(), budgets.estimateForBytes(bytes));
        String events = "/api/v1/jobs/" + asked.job().id() + "/events";
        return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, "/api/v1/jobs/" + asked.job().id()),
                write(new Accepted(thread.id(), asked.question().id(), asked.job().id(), asked.job().status().name(),
                        events)));
    }

    private String write(Accepted accepted) {
        try {
            return json.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids and strings is always serializable", e);
        }
    }
}
