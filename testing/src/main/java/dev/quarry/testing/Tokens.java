package dev.quarry.testing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Mints HS256 tokens byte for byte as {@code bin/quarry token} does with openssl. JDK only, so that the
 * benchmarks can use it without the JOSE library the API's tests mint with ({@link TestTokens}).
 */
public final class Tokens {
    private Tokens() {
    }

    /** A token for {@code tenant}, with the tenant-admin role or none, valid for {@code lifetime}. */
    public static String mint(String secret, String subject, String tenant, boolean admin, Duration lifetime) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String payload = "{\"sub\":\"" + subject + "\",\"tenant\":\"" + tenant + "\",\"roles\":[" + (admin ? "\"tenant-admin\"" : "")
                + "],\"iat\":" + now + ",\"exp\":" + (now + lifetime.toSeconds()) + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user token for a benchmark's tenant, valid long enough for the longest benchmark run. */
    public static String forBenchmark(String secret, String tenant) {
        return mint(secret, "bench", tenant, false, Duration.ofHours(2));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
