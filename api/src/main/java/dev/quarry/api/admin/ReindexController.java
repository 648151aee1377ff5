package dev.quarry.api.admin;

import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.api.web.TraceContext;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Starts a reindex of the caller's tenant into another embedding version. Admin only (security chain). */
@RestController
class ReindexController {
    private final ReindexIntake intake;

    ReindexController(ReindexIntake intake) {
        this.intake = intake;
    }

    /** The request body. */
    record ReindexRequest(String targetVersion) {
    }

    @Operation(summary = "Re-embed every chunk into targetVersion, then switch search to it",
            description = "Requires Idempotency-Key. Answers 202 with the parent job; follow its progress "
                    + "(documents done/total) at /api/v1/jobs/{jobId} and /api/v1/jobs/{jobId}/events.")
    @PostMapping(path = ReindexIntake.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> reindex(Caller caller,
                                   @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                   @RequestBody(required = false) ReindexRequest body, HttpServletRequest request) {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        if (body == null || body.targetVersion() == null || body.targetVersion().isBlank()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER,
                    "the body must be {\"targetVersion\": \"model@revision\"}");
        }
        return intake.accept(caller.tenant(), idempotencyKey, TraceContext.of(request).traceParent(),
                body.targetVersion());
    }
}
