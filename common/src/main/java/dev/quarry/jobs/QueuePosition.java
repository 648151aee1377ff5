package dev.quarry.jobs;

import java.time.Instant;

/**
 * Where a QUEUED job stands: {@code position} 1 is next to start. {@code estimatedStartAt} is null while
 * there is nothing to estimate from (no worker running, or no job finished in the last 15 minutes).
 */
public record QueuePosition(int position, Instant estimatedStartAt) {
}
