package dev.quarry.api.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last item of a page ordered by {@code (created_at, id)} descending. Opaque to
 * clients (base64url); the version prefix lets the format change without breaking old links silently.
 */
public record PageCursor(Instant createdAt, UUID id) {
    private static final String VERSION = "v1";

    public String encode() {
        String raw = VERSION + "|" + createdAt.getEpochSecond() + "|" + createdAt.getNano() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @return null for a blank cursor (the first page) */
    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8)
                    .split("\\|");
            if (parts.length != 4 || !parts[0].equals(VERSION)) throw new IllegalArgumentException("format");
            return new PageCursor(Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                    UUID.fromString(parts[3]));
        } catch (RuntimeException e) {
            throw new ApiProblem(ProblemKind.INVALID_CURSOR,
                    "the cursor is not one this API returned; start again without a cursor");
        }
    }

    /** Validates a page size parameter. */
    public static int limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "limit must be between 1 and " + max);
        }
        return limit;
    }
}
