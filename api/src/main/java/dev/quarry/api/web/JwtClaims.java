package dev.quarry.api.web;

/** The claims Quarry reads from a token, besides the standard {@code sub}, {@code iat} and {@code exp}. */
public final class JwtClaims {
    public static final String TENANT = "tenant";
    static final String ROLES = "roles";

    private JwtClaims() {
    }
}
