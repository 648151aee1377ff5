package dev.quarry.events;

import java.util.UUID;

/** Redis pub/sub channel names, shared by the publisher (worker, api) and the SSE subscriber (api). */
public final class JobEventChannels {
    public static final String PREFIX = "quarry:job:";

    private JobEventChannels() {
    }

    public static String forJob(UUID jobId) {
        return PREFIX + jobId;
    }
}
