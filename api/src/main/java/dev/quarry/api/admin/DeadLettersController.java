package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.PageCursor;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/**
 * Dead letters: a tenant admin sees and changes its own tenant's, an operator every tenant's (filterable by
 * tenant). The security chain lets only those two roles in; {@link TenantScope} narrows each query.
 */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
class DeadLettersController {
    private static final int MAX_PAGE = 100;
    private final PgDeadLetters deadLetters;
    private final DeadLetterRequeue requeue;

    DeadLettersController(PgDeadLetters deadLetters, DeadLetterRequeue requeue) {
        this.deadLetters = deadLetters;
        this.requeue = requeue;
    }

    @Operation(summary = "Open dead letters, newest first, filterable by job type, tenant and error class")
    @GetMapping
    DeadLetterPage list(Caller caller, @RequestParam(required = false) String type,
                        @RequestParam(required = false) String tenant, @RequestParam(required = false) String errorClass,
                        @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int limit) {
        TenantScope scope = TenantScope.of(caller, tenant);
        return deadLetters.page(new DeadLetterFilter(type, tenant, errorClass).scopedTo(scope), PageCursor.decode(cursor),
                PageCursor.limit(limit, MAX_PAGE));
    }

    @Operation(summary = "One dead letter, with its error class, message, root cause and attempts")
    @GetMapping("/{id}")
    DeadLetter get(Caller caller, @PathVariable UUID id) {
        return deadLetters.find(id, TenantScope.of(caller, null)).orElseThrow(() -> ApiProblem.notFound("dead letter", id));
    }

    @Operation(summary = "Requeue one dead letter: the job starts a fresh attempt cycle and keeps its history")
    @PostMapping("/{id}/requeue")
    ResponseEntity<Map<String, Object>> requeueOne(Caller caller, @PathVariable UUID id) {
        var job = requeue.requeue(id, TenantScope.of(caller, null)).orElseThrow(() -> ApiProblem.notFound("dead letter", id));
        return ResponseEntity.accepted().body(Map.of("jobId", job.id(), "status", job.status().name()));
    }

    @Operation(summary = "Requeue every open dead letter matching the filter (all of them without one)")
    @PostMapping("/requeue")
    ResponseEntity<Map<String, Object>> requeueMatching(Caller caller,
                                                        @RequestBody(required = false) DeadLetterFilter filter) {
        DeadLetterFilter matching = filter == null ? DeadLetterFilter.ALL : filter;
        int requeued = requeue.requeueAll(matching.scopedTo(TenantScope.of(caller, matching.tenant())));
        return ResponseEntity.accepted().body(Map.of("requeued", requeued));
    }

    @Operation(summary = "Discard a dead letter; its job stays DEAD_LETTERED")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
        if (!requeue.discard(id, TenantScope.of(caller, null))) throw ApiProblem.notFound("dead letter", id);
        return ResponseEntity.noContent().build();
    }
}
