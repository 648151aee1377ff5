package dev.quarry.api.conversations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.PageCursor;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.conversations.ChatProperties;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.Message;
import dev.quarry.conversations.MessageRole;
import dev.quarry.conversations.PgConversations;
import dev.quarry.conversations.PgMessages;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A thread's messages, stored whole (a message of several megabytes reads back byte for byte), and the
 * search over the caller's history: full text (stemmed words, web-search syntax) or trigram (a word with a
 * typo still matches).
 */
@RestController
class MessagesController {
    static final String PATH = ConversationsController.PATH + "/{id}/messages";
    static final String SEARCH_PATH = "/api/v1/messages/search";
    private static final int MAX_QUERY = 1000;
    private final PgConversations conversations;
    private final PgMessages messages;
    private final ObjectMapper json;
    private final ChatProperties properties;

    MessagesController(PgConversations conversations, PgMessages messages, ObjectMapper json,
                       ChatProperties properties) {
        this.conversations = conversations;
        this.messages = messages;
        this.json = json;
        this.properties = properties;
    }

    @Operation(summary = "Store a message in a thread, without asking for an answer",
            description = "Body: {role: user|assistant|system|tool, content, metadata (a JSON object)}. The content "
                    + "is stored whole, up to quarry.chat.max-stored-message (16 MB by default). Answers 201 with the "
                    + "message's id and size. To ask a grounded question, POST .../chat instead.")
    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @Transactional
    ResponseEntity<MessageView.Stored> append(Caller caller, @PathVariable UUID id,
                                              @RequestBody(required = false) MessageSubmission body) {
        Conversation thread = Threads.live(conversations, caller, id);
        if (body == null) throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "the body must be {role, content}");
        MessageRole role = MessageRole.parse(body.role()).orElseThrow(() -> new ApiProblem(
                ProblemKind.INVALID_PARAMETER, "role must be user, assistant, system or tool"));
        String content = content(body);
        long bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > properties.maxStoredMessage().toBytes()) {
            throw new ApiProblem(ProblemKind.PAYLOAD_TOO_LARGE, "the message is " + bytes + " bytes; a stored message "
                    + "may have at most " + properties.maxStoredMessage().toBytes() + " (quarry.chat.max-stored-message)");
        }
        Message message = messages.append(thread, role, content, metadata(json, body.metadata()), null);
        conversations.touch(thread.id());
        return ResponseEntity.created(URI.create(ConversationsController.PATH + "/" + id + "/messages/" + message.id()))
                .body(MessageView.Stored.of(message));
    }

    @Operation(summary = "A thread's messages, oldest first", description = "limit 1 to 100 (default 50); cursor: "
            + "nextCursor of the previous page.")
    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    MessageView.Page list(Caller caller, @PathVariable UUID id, @RequestParam(defaultValue = "50") int limit,
                          @RequestParam(required = false) String cursor) {
        Conversation thread = Threads.any(conversations, caller, id);
        int size = PageCursor.limit(limit, ConversationsController.MAX_PAGE);
        PageCursor after = PageCursor.decode(cursor);
        List<Message> page = messages.page(thread.id(), after == null ? null : after.createdAt(),
                after == null ? null : after.id(), size + 1);
        String next = null;
        if (page.size() > size) {
            page = page.subList(0, size);
            next = new PageCursor(page.get(size - 1).createdAt(), page.get(size - 1).id()).encode();
        }
        return new MessageView.Page(page.stream().map(MessageView::of).toList(), next);
    }

    @Operation(summary = "One message, whole")
    @GetMapping(path = PATH + "/{messageId}", produces = MediaType.APPLICATION_JSON_VALUE)
    MessageView get(Caller caller, @PathVariable UUID id, @PathVariable UUID messageId) {
        Threads.any(conversations, caller, id);
        return MessageView.of(messages.find(caller.tenant(), Threads.owner(caller), id, messageId)
                .orElseThrow(() -> ApiProblem.notFound("message", messageId)));
    }

    /** The history search's answer. */
    record Found(String query, String mode, List<PgMessages.Found> hits) {
    }

    @Operation(summary = "Search the caller's messages", description = "q: the words; mode: fulltext (default; "
            + "stemmed words, \"phrases\", -exclusions) or trigram (tolerates typos); limit 1 to 100 (default 20). "
            + "Threads in the trash are left out.")
    @GetMapping(path = SEARCH_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Found search(Caller caller, @RequestParam(required = false) String q,
                 @RequestParam(defaultValue = "fulltext") String mode, @RequestParam(defaultValue = "20") int limit) {
        if (q == null || q.isBlank() || q.length() > MAX_QUERY || q.indexOf('\0') >= 0) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "q must be 1 to " + MAX_QUERY + " characters");
        }
        int size = PageCursor.limit(limit, ConversationsController.MAX_PAGE);
        String owner = Threads.owner(caller);
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "fulltext" -> new Found(q, "fulltext", messages.fullText(caller.tenant(), owner, q.strip(), size));
            case "trigram" -> new Found(q, "trigram", messages.trigram(caller.tenant(), owner, q.strip(), size));
            default -> throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "mode must be fulltext or trigram");
        };
    }

    /** The message's text: not empty, no NUL (PostgreSQL's text cannot hold it). */
    static String content(MessageSubmission body) {
        if (body.content() == null || body.content().isBlank()) {
            throw new ApiProblem(ProblemKind.EMPTY_MESSAGE, "the message has no content");
        }
        if (body.content().indexOf('\0') >= 0) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "content must not contain NUL characters");
        }
        return body.content();
    }

    /** The metadata as JSON text: an object, or {} when absent. */
    static String metadata(ObjectMapper json, JsonNode metadata) {
        if (metadata == null || metadata.isNull()) return "{}";
        if (!metadata.isObject()) throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "metadata must be a JSON object");
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree is always serializable", e);
        }
    }
}
