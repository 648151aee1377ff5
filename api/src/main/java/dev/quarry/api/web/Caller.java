package dev.quarry.api.web;

import java.util.Set;

/**
 * Who is calling, from the verified token. Controllers take it as a parameter; every query a feature
 * runs is scoped by {@link #tenant()}. Admin endpoints are open to two roles: {@code admin} administers
 * its own tenant only, {@code operator} runs the platform and sees every tenant.
 */
public record Caller(String subject, String tenant, Set<String> roles) {

    public boolean isAdmin() {
        return roles.contains("admin");
    }

    public boolean isOperator() {
        return roles.contains("operator");
    }
}
