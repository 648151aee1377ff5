package dev.quarry.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One entry of a job's append-only history. {@code id} comes from {@code job_events} and is the SSE
 * event id; {@code type} is one of {@link JobEventType}'s wire names.
 */
public record JobEvent(long id, UUID jobId, String tenantId, String type, Map<String, Object> data, Instant createdAt) {

    public boolean isTerminal() {
        return JobEventType.fromWire(type).terminal();
    }
}
