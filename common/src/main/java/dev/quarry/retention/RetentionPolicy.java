package dev.quarry.retention;

import java.time.Duration;

/** A tenant's or a collection's periods; null inherits (collection, then tenant, then the defaults). */
public record RetentionPolicy(Duration documents, Duration jobs, Duration deadLetters) {
    public static final RetentionPolicy INHERITED = new RetentionPolicy(null, null, null);
}
