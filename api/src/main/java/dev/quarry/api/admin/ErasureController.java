package dev.quarry.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.TraceContext;
import dev.quarry.erasure.Erasure;
import dev.quarry.erasure.Erasures;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.PgJobStore;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/**
 * GDPR erasure (Art. 17) of a data subject, a token's {@code sub}: accepted as an ERASURE job, answered with
 * where to follow it and read its receipt. The subject travels in the body, never in the path, so that it
 * appears neither in access logs nor in the audit trail's target. A tenant admin erases in its own tenant,
 * an operator in the tenant it names.
 */
@RestController
class ErasureController {
    static final String PATH = "/api/v1/admin/erasures";
    private final Erasures erasures;
    private final PgJobStore jobs;
    private final IdempotencyKeys idempotency;
    private final ObjectMapper json;

    ErasureController(Erasures erasures, PgJobStore jobs, IdempotencyKeys idempotency, ObjectMapper json) {
        this.erasures = erasures;
        this.jobs = jobs;
        this.idempotency = idempotency;
        this.json = json;
    }

    record Accepted(UUID jobId, String status, String receipt) {
    }

    record Receipt(String status, Erasure erasure) {
    }

    @Operation(summary = "Erase a data subject: their documents and everything derived, their name in the audit trail",
            description = "Body {\"subject\": \"<sub>\"} (an operator adds \"tenant\"). Requires Idempotency-Key. Answers "
                    + "202 with the job; the receipt is at /api/v1/admin/erasures/{jobId}. An unknown subject is "
                    + "not an error: the receipt counts zero.")
    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> erase(Caller caller, @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                 @RequestBody(required = false) SubjectRequest body, HttpServletRequest request) {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        String tenant = SubjectRequest.tenantOf(caller, body);
        IdempotentRequest idempotent = body.idempotent(tenant, idempotencyKey, PATH);
        String traceParent = TraceContext.of(request).traceParent();
        return idempotency.execute(idempotent, () -> {
            Job job = erasures.request(tenant, body.subject(), idempotencyKey, traceParent);
            String receipt = PATH + "/" + job.id() + "?tenant=" + tenant;
            return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, "/api/v1/jobs/" + job.id()),
                    write(new Accepted(job.id(), job.status().name(), receipt)));
        });
    }

    @Operation(summary = "An erasure's status and receipt: what was deleted, with counts and time")
    @GetMapping(path = PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Receipt receipt(Caller caller, @PathVariable UUID id, @RequestParam(required = false) String tenant) {
        String scoped = TenantScope.subjectTenant(caller, tenant);
        Erasure erasure = erasures.find(scoped, id).orElseThrow(() -> ApiProblem.notFound("erasure", id));
        String status = jobs.find(scoped, id).map(job -> job.status().name()).orElse("UNKNOWN");
        return new Receipt(status, erasure);
    }

    private String write(Accepted accepted) {
        try {
            return json.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids is always serializable", e);
        }
    }
}
