package dev.quarry.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Mints test tokens: with Nimbus, or byte for byte the way {@code bin/quarry token} does with openssl. */
public final class TestTokens {
    public static final String SECRET = "quarry-test-secret-0123456789abcdef-not-for-production";

    private TestTokens() {
    }

    public static String forTenant(String tenant, String... roles) {
        return mint(SECRET, "user-" + tenant, tenant, List.of(roles), Instant.now().plus(Duration.ofHours(1)));
    }

    public static String mint(String secret, String subject, String tenant, List<String> roles, Instant expiresAt) {
        return mint(secret, subject, tenant, roles, expiresAt, Map.of());
    }

    /** A token for {@code subject} of {@code tenant} with further claims, e.g. a subscription {@code tier}. */
    public static String forSubject(String subject, String tenant, List<String> roles, Map<String, Object> claims) {
        return mint(SECRET, subject, tenant, roles, Instant.now().plus(Duration.ofHours(1)), claims);
    }

    public static String mint(String secret, String subject, String tenant, List<String> roles, Instant expiresAt,
                              Map<String, Object> extra) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(expiresAt != null && expiresAt.isBefore(Instant.now())
                        ? expiresAt.minus(Duration.ofHours(1)) : Instant.now().minusSeconds(5)))
                .expirationTime(expiresAt == null ? null : Date.from(expiresAt))
                .claim("roles", roles);
        if (tenant != null) claims.claim("tenant", tenant);
        extra.forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64url(header).base64url(payload).base64url(HMAC-SHA256), as a shell script with openssl builds it. */
    public static String opensslStyle(String secret, String tenant, boolean admin) {
        return Tokens.mint(secret, "cli", tenant, admin, Duration.ofHours(1));
    }
}
