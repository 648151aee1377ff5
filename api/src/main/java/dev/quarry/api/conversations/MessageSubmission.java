package dev.quarry.api.conversations;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message: stored as it is by {@code POST .../messages} (any role), or asked by {@code POST .../chat} (a user
 * message; {@code role} must then be absent or {@code user}).
 *
 * @param metadata a JSON object, stored as JSONB; absent for none
 */
record MessageSubmission(String role, String content, JsonNode metadata) {
}
