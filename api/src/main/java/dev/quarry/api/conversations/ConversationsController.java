package dev.quarry.api.conversations;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.PageCursor;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.ModelChoice;
import dev.quarry.conversations.PgConversations;
import dev.quarry.llm.UnknownModelException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The caller's threads: create, list (keyset pages, newest first, searchable by title), rename, pin, archive,
 * choose collections and model, soft delete and restore. Scoped to the token's {@code sub} inside its tenant.
 */
@RestController
class ConversationsController {
    static final String PATH = "/api/v1/conversations";
    static final int MAX_TITLE = 500;
    static final int MAX_PAGE = 100;
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private final PgConversations conversations;
    private final ModelChoice models;

    ConversationsController(PgConversations conversations, ModelChoice models) {
        this.conversations = conversations;
        this.models = models;
    }

    @Operation(summary = "Start a thread", description = "Body: {title, collections, provider, model, pinned}, all "
            + "optional. Answers 201 with the thread; 422 unknown-model or model-not-configured for a model that "
            + "cannot answer.")
    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ThreadView> create(Caller caller, @RequestBody(required = false) ThreadSubmission body) {
        ThreadSubmission submission = body == null ? new ThreadSubmission(null, null, null, null, null, null) : body;
        PgConversations.Settings settings = settings(submission, true);
        checkModel(caller.tenant(), submission);
        Conversation thread = conversations.create(caller.tenant(), Threads.owner(caller), settings);
        return ResponseEntity.created(URI.create(PATH + "/" + thread.id())).body(ThreadView.of(thread));
    }

    @Operation(summary = "The caller's threads, newest first", description = "view: active (default), archived or "
            + "deleted (the trash); q: only titles containing it; limit 1 to 100 (default 20); cursor: nextCursor "
            + "of the previous page.")
    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ThreadView.Page list(Caller caller, @RequestParam(defaultValue = "active") String view,
                         @RequestParam(required = false) String q, @RequestParam(defaultValue = "20") int limit,
                         @RequestParam(required = false) String cursor) {
        PgConversations.View which;
        try {
            which = PgConversations.View.valueOf(view.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "view must be active, archived or deleted");
        }
        int size = PageCursor.limit(limit, MAX_PAGE);
        PageCursor after = PageCursor.decode(cursor);
        String title = q == null || q.isBlank() ? null : q.strip();
        List<Conversation> page = conversations.page(caller.tenant(), Threads.owner(caller), which, title,
                after == null ? null : after.createdAt(), after == null ? null : after.id(), size + 1);
        String next = null;
        if (page.size() > size) {
            page = page.subList(0, size);
            Conversation last = page.get(size - 1);
            next = new PageCursor(last.createdAt(), last.id()).encode();
        }
        return new ThreadView.Page(page.stream().map(ThreadView::of).toList(), next);
    }

    @Operation(summary = "One of the caller's threads (also from the trash)")
    @GetMapping(path = PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ThreadView get(Caller caller, @PathVariable UUID id) {
        return ThreadView.of(Threads.any(conversations, caller, id));
    }

    @Operation(summary = "Rename, pin, archive, or change a thread's collections or model",
            description = "Body: any of {title, collections, provider, model, pinned, archived}; a field left out "
                    + "is unchanged.")
    @PatchMapping(path = PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ThreadView update(Caller caller, @PathVariable UUID id, @RequestBody(required = false) ThreadSubmission body) {
        Threads.live(conversations, caller, id);
        if (body == null) throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "the body must be a JSON object");
        PgConversations.Settings settings = settings(body, false);
        checkModel(caller.tenant(), body);
        return ThreadView.of(conversations.update(caller.tenant(), Threads.owner(caller), id, settings)
                .orElseThrow(() -> ApiProblem.notFound("conversation", id)));
    }

    @Operation(summary = "Move a thread to the trash (soft delete); restore brings it back")
    @DeleteMapping(path = PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ThreadView delete(Caller caller, @PathVariable UUID id) {
        return ThreadView.of(conversations.trash(caller.tenant(), Threads.owner(caller), id, true)
                .orElseThrow(() -> ApiProblem.notFound("conversation", id)));
    }

    @Operation(summary = "Take a thread out of the trash")
    @PostMapping(path = PATH + "/{id}/restore", produces = MediaType.APPLICATION_JSON_VALUE)
    ThreadView restore(Caller caller, @PathVariable UUID id) {
        return ThreadView.of(conversations.trash(caller.tenant(), Threads.owner(caller), id, false)
                .orElseThrow(() -> ApiProblem.notFound("conversation", id)));
    }

    private static PgConversations.Settings settings(ThreadSubmission body, boolean create) {
        String title = body.title() == null ? (create ? "New conversation" : null) : body.title().strip();
        if (title != null && (title.isEmpty() || title.length() > MAX_TITLE || title.indexOf('\0') >= 0)) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "title must be 1 to " + MAX_TITLE + " characters");
        }
        if (body.collections() != null) {
            for (String collection : body.collections()) {
                if (collection == null || !COLLECTION.matcher(collection).matches()) {
                    throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "collections must be collection names");
                }
            }
        }
        return new PgConversations.Settings(title, body.collections() == null ? null : List.copyOf(body.collections()),
                body.provider(), body.model(), body.pinned(), body.archived());
    }

    /** A model choice is checked against the installed providers before anything is stored. */
    private void checkModel(String tenant, ThreadSubmission body) {
        if (body.provider() == null && body.model() == null) return;
        try {
            models.strict(tenant, body.provider(), body.model());
        } catch (UnknownModelException e) {
            throw new ApiProblem(ProblemKind.UNKNOWN_MODEL, e.getMessage());
        } catch (ModelChoice.NotConfiguredException e) {
            throw new ApiProblem(ProblemKind.MODEL_NOT_CONFIGURED, e.getMessage());
        }
    }
}
