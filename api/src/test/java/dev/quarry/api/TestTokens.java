package dev.quarry.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Mints test tokens: with Nimbus, or byte for byte the way {@code bin/quarry token} does with openssl. */
public final class TestTokens {
    public static final String SECRET = "quarry-test-secret-0123456789abcdef-not-for-production";

    private TestTokens() {
    }

    public static String forTenant(String tenant, String... roles) {
        return mint(SECRET, "user-" + tenant, tenant, List.of(roles), Instant.now().plus(Duration.ofHours(1)));
    }

    public static String mint(String secret, String subject, String tenant, List<String> roles, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(expiresAt != null && expiresAt.isBefore(Instant.now())
                        ? expiresAt.minus(Duration.ofHours(1)) : Instant.now().minusSeconds(5)))
                .expirationTime(expiresAt == null ? null : Date.from(expiresAt))
                .claim("roles", roles);
        if (tenant != null) claims.claim("tenant", tenant);
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
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String payload = "{\"sub\":\"cli\",\"tenant\":\"" + tenant + "\",\"roles\":[" + (admin ? "\"admin\"" : "")
                + "],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
