package dev.quarry.api.admin;

import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;

import java.nio.charset.StandardCharsets;

/**
 * The body of a request about a data subject (erasure, access): their {@code sub}, and the tenant an operator
 * names. The subject travels here, never in a path, so that it appears neither in access logs nor in the audit
 * trail's target.
 */
record SubjectRequest(String subject, String tenant) {

    /**
     * The tenant the request acts in, once the body is checked.
     *
     * @throws ApiProblem 400 without a subject, or when an operator names no tenant; 403 for another tenant
     */
    static String tenantOf(Caller caller, SubjectRequest body) {
        if (body == null || body.subject() == null || body.subject().isBlank()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "the body must be {\"subject\": \"<the token's sub>\"}");
        }
        return TenantScope.subjectTenant(caller, body.tenant());
    }

    /** The idempotency record's request: the same key for another subject or tenant is a conflict. */
    IdempotentRequest idempotent(String tenant, String key, String path) {
        return IdempotentRequest.of(tenant, key, "POST", path, (tenant + "\n" + subject).getBytes(StandardCharsets.UTF_8));
    }
}
