package dev.quarry.api.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.charset.StandardCharsets;

/** {@code quarry.jwt.*}: the HS256 secret shared with whoever mints tokens ({@code bin/quarry token}). */
@ConfigurationProperties("quarry.jwt")
record JwtProperties(String secret) {
    /** HS256 needs a key at least as long as its 256-bit output (RFC 7518 §3.2). */
    static final int MIN_SECRET_BYTES = 32;

    /** The key bytes, exactly as {@code openssl dgst -hmac "$QUARRY_JWT_SECRET"} uses them. */
    byte[] requiredSecret() {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("QUARRY_JWT_SECRET (quarry.jwt.secret) is not set; the API "
                    + "cannot verify tokens without it");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("QUARRY_JWT_SECRET must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256; it has " + bytes.length);
        }
        return bytes;
    }
}
