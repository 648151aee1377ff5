package dev.quarry.api.idempotency;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class IdempotentRequestTest {

    private static String fingerprint(String method, String path, String... parts) {
        byte[][] bytes = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) bytes[i] = parts[i] == null ? null : parts[i].getBytes(UTF_8);
        return IdempotentRequest.of("t", "k", method, path, bytes).fingerprint();
    }

    @Test
    void the_same_request_has_the_same_fingerprint() {
        assertThat(fingerprint("POST", "/a", "x", "y")).isEqualTo(fingerprint("POST", "/a", "x", "y")).hasSize(64);
    }

    @Test
    void method_path_and_every_part_count_and_part_boundaries_are_unambiguous() {
        String base = fingerprint("POST", "/a", "ab", "c");

        assertThat(fingerprint("PUT", "/a", "ab", "c")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/b", "ab", "c")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/a", "ab", "d")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/a", "a", "bc")).isNotEqualTo(base);
        assertThat(fingerprint("POST", "/a", "abc")).isNotEqualTo(base);
    }
}
