package dev.quarry.api.idempotency;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;

/** The {@code Idempotency-Key} request header (IETF httpapi-idempotency-key-header draft). */
public final class IdempotencyKeyHeader {
    public static final String NAME = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {
    }

    /**
     * The key, required. The draft defines the value as a structured-field string ({@code "abc"}); bare
     * tokens are accepted too, since most clients send a UUID without quotes.
     */
    public static String require(String header) {
        if (header == null || header.isBlank()) {
            throw new ApiProblem(ProblemKind.MISSING_IDEMPOTENCY_KEY,
                    "this request creates a job and needs an Idempotency-Key header (e.g. a UUID)");
        }
        String key = header.trim();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new ApiProblem(ProblemKind.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to " + MAX_LENGTH + " printable ASCII characters");
        }
        return key;
    }
}
