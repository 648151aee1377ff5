package dev.quarry.events;

import java.util.Arrays;

/** What happened to a job; {@link #wire()} is the SSE {@code event:} name. */
public enum JobEventType {
    QUEUED(false), STARTED(false), PROGRESS(false), RETRYING(false), CANCEL_REQUESTED(false),
    SUCCEEDED(true), FAILED(true), CANCELLED(true), DEAD_LETTERED(true);

    private final boolean terminal;

    JobEventType(boolean terminal) {
        this.terminal = terminal;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public boolean terminal() {
        return terminal;
    }

    public static JobEventType fromWire(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + wire));
    }
}
