package dev.quarry.api.web;

/** The claims Quarry reads from a token, besides the standard {@code sub}, {@code iat} and {@code exp}. */
final class JwtClaims {
    static final String TENANT = "tenant";
    static final String ROLES = "roles";

    private JwtClaims() {
    }
}
