package dev.quarry.api.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One request under an {@code Idempotency-Key}: the tenant that owns the key, the key, and a fingerprint
 * of what was asked, so that a reused key with a different request can be told apart from a retry.
 */
public record IdempotentRequest(String tenant, String key, String fingerprint) {

    /**
     * Fingerprints method, path and the request's content. Callers pass the content's meaningful parts
     * rather than raw multipart bytes, whose random boundary would make every retry look different.
     * Each part is length-prefixed so that ("ab", "c") and ("a", "bc") differ.
     */
    public static IdempotentRequest of(String tenant, String key, String method, String path, byte[]... parts) {
        MessageDigest sha256 = sha256();
        update(sha256, method.getBytes(StandardCharsets.UTF_8));
        update(sha256, path.getBytes(StandardCharsets.UTF_8));
        for (byte[] part : parts) update(sha256, part == null ? new byte[0] : part);
        return new IdempotentRequest(tenant, key, HexFormat.of().formatHex(sha256.digest()));
    }

    private static void update(MessageDigest digest, byte[] bytes) {
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
