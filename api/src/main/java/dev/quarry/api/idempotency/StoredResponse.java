package dev.quarry.api.idempotency;

import java.util.Map;

/** The response of the first request under a key, stored so that retries get exactly the same answer. */
public record StoredResponse(int status, Map<String, String> headers, String body) {

    public StoredResponse {
        headers = Map.copyOf(headers);
    }
}
