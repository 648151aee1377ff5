package dev.quarry.api.conversations;

import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.TraceContext;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * {@code POST /api/v1/conversations/{id}/chat}: ask a grounded question. The answer is a CHAT job: its SSE
 * stream ({@code /api/v1/jobs/{jobId}/events}) carries the citations and the answer's deltas, resumable with
 * {@code Last-Event-ID}, and the finished answer is stored in the thread whether anyone listens or not.
 */
@RestController
class ChatController {
    private final ChatIntake intake;

    ChatController(ChatIntake intake) {
        this.intake = intake;
    }

    @Operation(summary = "Ask a question in a thread; the answer streams from a CHAT job",
            description = "Requires Idempotency-Key. Body: {content, metadata}. Answers 202 with {messageId, jobId, "
                    + "events}; follow events for progress events of step citations, answer (delta: the next piece "
                    + "of text; restart: drop what was received) and stored (messageId of the answer). 400 "
                    + "empty-message, 404 for a thread that is not the caller's, 413 over "
                    + "quarry.chat.max-message-bytes, 422 unknown-model or model-not-configured, 429 budget-exceeded.")
    @PostMapping(path = ConversationsController.PATH + "/{id}/chat", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> chat(Caller caller, @PathVariable UUID id,
                                @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                @RequestBody(required = false) MessageSubmission body, HttpServletRequest request) {
        return intake.accept(caller, id, IdempotencyKeyHeader.require(key), TraceContext.of(request).traceParent(), body);
    }
}
