package dev.quarry.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.TraceContext;
import dev.quarry.exports.ExportFormat;
import dev.quarry.exports.ExportRequest;
import dev.quarry.exports.ExportScope;
import dev.quarry.exports.Exports;
import dev.quarry.jobs.Job;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/**
 * GDPR access (Art. 15) for a data subject, a token's {@code sub}: a ZIP export, through the ordinary export
 * job, of the documents they uploaded ({@link ExportScope#uploadedBy}). Unlike a user's export, a subject
 * with no documents is not refused: "we hold nothing" is an answer the controller owes them, so the file is
 * then an empty ZIP with its manifest. The subject travels in the body, never in the path, so it appears
 * neither in access logs nor in the audit trail's target. The file is downloaded like any export.
 */
@RestController
class SubjectAccessController {
    static final String PATH = "/api/v1/admin/subject-access";
    private static final String EXPORTS = "/api/v1/exports/";
    private final Exports exports;
    private final IdempotencyKeys idempotency;
    private final ObjectMapper json;

    SubjectAccessController(Exports exports, IdempotencyKeys idempotency, ObjectMapper json) {
        this.exports = exports;
        this.idempotency = idempotency;
        this.json = json;
    }

    record Accepted(UUID exportId, UUID jobId, String status, String file) {
    }

    @Operation(summary = "Export everything held about a data subject (GDPR Art. 15) as a ZIP",
            description = "Body {\"subject\": \"<sub>\"} (an operator adds \"tenant\"). Requires Idempotency-Key. "
                    + "Answers 202 with the export; follow /api/v1/exports/{exportId} and download its file. An "
                    + "unknown subject gives an empty export, not an error.")
    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> export(Caller caller, @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                  @RequestBody(required = false) SubjectRequest body, HttpServletRequest request) {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        String tenant = SubjectRequest.tenantOf(caller, body);
        IdempotentRequest idempotent = body.idempotent(tenant, idempotencyKey, PATH);
        String traceParent = TraceContext.of(request).traceParent();
        return idempotency.execute(idempotent, () -> {
            Job job = exports.request(new ExportRequest(tenant, ExportScope.uploadedBy(body.subject()), ExportFormat.ZIP,
                    false, caller.subject(), idempotencyKey, traceParent));
            return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, EXPORTS + job.id()),
                    write(new Accepted(job.id(), job.id(), job.status().name(), EXPORTS + job.id() + "/file")));
        });
    }

    private String write(Accepted accepted) {
        try {
            return json.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids is always serializable", e);
        }
    }
}
