package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;

/**
 * Which tenants' data an admin endpoint may show or change for a caller: a tenant admin only its own
 * tenant, an operator every tenant, or the one it asks for. {@link #tenant()} is null for "every tenant";
 * the queries take it as a filter, so scoping happens in SQL, where an unscoped row cannot slip through.
 */
public record TenantScope(String tenant) {

    /**
     * @param requested the tenant the caller asks for (a {@code tenant} parameter or filter), or null/blank
     * @throws ApiProblem 403 when a tenant admin asks for another tenant
     */
    public static TenantScope of(Caller caller, String requested) {
        String asked = requested == null || requested.isBlank() ? null : requested;
        if (caller.isOperator()) return new TenantScope(asked);
        if (asked != null && !asked.equals(caller.tenant())) {
            throw new ApiProblem(ProblemKind.FORBIDDEN,
                    "an admin sees only its own tenant; the operator role sees every tenant");
        }
        return new TenantScope(caller.tenant());
    }

    /**
     * The one tenant a data subject's request acts in: the tenant admin's own, or the one an operator names.
     *
     * @throws ApiProblem 400 when an operator names none, 403 when a tenant admin names another
     */
    static String subjectTenant(Caller caller, String requested) {
        String tenant = of(caller, requested).tenant();
        if (tenant == null) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "an operator names the subject's tenant");
        }
        return tenant;
    }
}
