package dev.quarry.llm;

/** A registry configuration that no provider would accept; the message says which member and why. */
public class InvalidModelConfigException extends IllegalArgumentException {
    public InvalidModelConfigException(String message) {
        super(message);
    }
}
