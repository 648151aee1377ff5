package dev.quarry.api.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code quarry.jwt.*}: how tokens are verified.
 *
 * @param secret         the HS256 secret shared with whoever mints tokens ({@code bin/quarry token})
 * @param previousSecret the secret being rotated out: tokens signed with it stay valid until it is removed
 *                       (two active verification keys; new tokens are minted with {@code secret})
 * @param jwksUrl        an identity provider's JWKS, for RS256 and ES256 tokens; with it, {@code secret} is
 *                       optional
 */
@ConfigurationProperties("quarry.jwt")
record JwtProperties(String secret, String previousSecret, String jwksUrl) {
    /** HS256 needs a key at least as long as its 256-bit output (RFC 7518 §3.2). */
    static final int MIN_SECRET_BYTES = 32;

    /** The current secret's bytes, exactly as {@code openssl dgst -hmac "$QUARRY_JWT_SECRET"} uses them. */
    byte[] requiredSecret() {
        if (blank(secret)) {
            throw new IllegalStateException("QUARRY_JWT_SECRET (quarry.jwt.secret) is not set; the API "
                    + "cannot verify tokens without it (or without QUARRY_JWT_JWKS_URL)");
        }
        return bytes("QUARRY_JWT_SECRET", secret);
    }

    /** The current secret, or empty when tokens come only from an identity provider's JWKS. */
    Optional<byte[]> currentSecret() {
        return blank(secret) && !blank(jwksUrl) ? Optional.empty() : Optional.of(requiredSecret());
    }

    Optional<byte[]> previous() {
        return blank(previousSecret) ? Optional.empty()
                : Optional.of(bytes("QUARRY_JWT_PREVIOUS_SECRET", previousSecret));
    }

    Optional<String> jwks() {
        return blank(jwksUrl) ? Optional.empty() : Optional.of(jwksUrl.trim());
    }

    private static byte[] bytes(String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException(name + " must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256; it has " + bytes.length);
        }
        return bytes;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
