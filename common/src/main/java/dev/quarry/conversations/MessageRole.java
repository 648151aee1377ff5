package dev.quarry.conversations;

import java.util.Locale;
import java.util.Optional;

/** Who wrote a message; stored lower-case in {@code conversation_messages.role} (a CHECK lists them). */
public enum MessageRole {
    USER, ASSISTANT, SYSTEM, TOOL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MessageRole> parse(String role) {
        if (role == null) return Optional.empty();
        for (MessageRole value : values()) {
            if (value.wire().equals(role.trim().toLowerCase(Locale.ROOT))) return Optional.of(value);
        }
        return Optional.empty();
    }
}
