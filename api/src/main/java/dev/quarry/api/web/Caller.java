package dev.quarry.api.web;

import java.util.Set;

/**
 * Who is calling, from the verified token. Controllers take it as a parameter; every query a feature
 * runs is scoped by {@link #tenant()}.
 */
public record Caller(String subject, String tenant, Set<String> roles) {

    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
