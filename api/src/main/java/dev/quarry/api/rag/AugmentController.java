package dev.quarry.api.rag;

import dev.quarry.api.budgets.Budgets;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.conversations.Citation;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.Grounding;
import dev.quarry.conversations.PgConversations;
import dev.quarry.llm.ChatPrompt;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/rag/augment}: the grounded prompt and its citations, for clients that bring their own
 * model. It is the prompt the chat job would send ({@link Grounding}), so answers cite the same {@code [n]}.
 * Stores nothing; the query's embedding is charged to today's budgets, as a search is.
 */
@RestController
class AugmentController {
    static final int MAX_QUERY = 32_000;
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private final Grounding grounding;
    private final PgConversations conversations;
    private final Budgets budgets;

    AugmentController(Grounding grounding, PgConversations conversations, Budgets budgets) {
        this.grounding = grounding;
        this.conversations = conversations;
        this.budgets = budgets;
    }

    /**
     * @param conversationId optional: one of the caller's threads, whose history goes into the prompt and whose
     *                       collections are searched unless {@code collections} is given
     * @param collections    optional: the collections to search (default: all of the tenant's)
     */
    record AugmentRequest(String query, UUID conversationId, List<String> collections) {
    }

    record Augmented(ChatPrompt prompt, List<Citation> citations, long estimatedTokens) {
    }

    @Operation(summary = "The augmented prompt and its citations, for your own model",
            description = "Body: {query, conversationId, collections}. Answers 200 with {prompt: {messages: [{role, "
                    + "content}]}, citations: [{number, chunkId, documentId, title, ordinal, collection, score, text}], "
                    + "estimatedTokens}.")
    @PostMapping(path = "/api/v1/rag/augment", produces = MediaType.APPLICATION_JSON_VALUE)
    Augmented augment(Caller caller, @RequestBody(required = false) AugmentRequest body) {
        if (body == null || body.query() == null || body.query().isBlank()) {
            throw new ApiProblem(ProblemKind.EMPTY_MESSAGE, "query must be a non-blank question");
        }
        if (body.query().length() > MAX_QUERY || body.query().indexOf('\0') >= 0) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "query must be at most " + MAX_QUERY
                    + " characters, without NUL");
        }
        Conversation thread = null;
        if (body.conversationId() != null) {
            String owner = caller.subject();
            thread = owner == null ? null : conversations.find(caller.tenant(), owner, body.conversationId())
                    .filter(c -> !c.deleted()).orElse(null);
            if (thread == null) throw ApiProblem.notFound("conversation", body.conversationId());
        }
        List<String> collections = body.collections() != null ? body.collections()
                : thread != null ? thread.collections() : List.of();
        for (String collection : collections) {
            if (collection == null || !COLLECTION.matcher(collection).matches()) {
                throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "collections must be collection names");
            }
        }
        budgets.admit(caller.tenant(), caller.subject(),
                budgets.estimateForBytes(body.query().getBytes(StandardCharsets.UTF_8).length));
        List<Citation> citations = grounding.passages(caller.tenant(), caller.documentViewer(), body.query(), collections);
        Grounding.Grounded grounded = grounding.prompt(citations, body.query(), thread == null ? null : thread.id(), null);
        return new Augmented(grounded.prompt(), grounded.citations(), grounded.estimatedTokens());
    }
}
