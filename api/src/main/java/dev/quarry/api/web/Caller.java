package dev.quarry.api.web;

import dev.quarry.documents.DocumentViewer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, from the verified token. Controllers take it as a parameter; every query a feature
 * runs is scoped by {@link #tenant()}. Admin endpoints are open to two roles: {@code tenant-admin}
 * administers its own tenant only, {@code operator} runs the platform and sees every tenant.
 */
public record Caller(String subject, String tenant, Set<String> roles) {
    public static final String TENANT_ADMIN = "tenant-admin";
    /** The tenant admin's name before {@code tenant-admin}; still accepted, so issued tokens keep working. */
    public static final String ADMIN_ALIAS = "admin";
    public static final String OPERATOR = "operator";

    public boolean isAdmin() {
        return roles.contains(TENANT_ADMIN) || roles.contains(ADMIN_ALIAS);
    }

    public boolean isOperator() {
        return roles.contains(OPERATOR);
    }

    /** The most powerful of the caller's roles, as the audit trail records it: operator, admin or user. */
    public String highestRole() {
        return isOperator() ? "operator" : isAdmin() ? "admin" : "user";
    }

    /**
     * What the caller sees of their tenant's documents: a tenant admin or an operator all of them, a user the
     * shared ones and their own private ones.
     */
    public DocumentViewer documentViewer() {
        return isAdmin() || isOperator() ? DocumentViewer.ALL : DocumentViewer.user(subject);
    }

    /** The caller of the current request, for code outside a controller (empty before authentication). */
    public static Optional<Caller> current() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token
                ? Optional.of(CallerArgumentResolver.fromJwt(token.getToken())) : Optional.empty();
    }
}
