package dev.quarry.jobs;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * How many jobs the running workers can run at once, across the cluster (JobRunr's registered servers).
 * The figure changes when a worker starts or stops, and is read on every release and queue-position
 * lookup: it is read from JobRunr's table at most once a second, not per call.
 */
@Component
public class ClusterThreads {
    private static final Duration MAX_AGE = Duration.ofSeconds(1);
    private final JobRunrBridge jobRunr;
    private volatile Reading last = new Reading(0, Instant.EPOCH);

    private record Reading(int count, Instant readAt) {
    }

    ClusterThreads(JobRunrBridge jobRunr) {
        this.jobRunr = jobRunr;
    }

    public int count() {
        Reading known = last;
        if (known.readAt().plus(MAX_AGE).isAfter(Instant.now())) return known.count();
        Reading read = new Reading(jobRunr.runningWorkerThreads(), Instant.now());
        last = read;
        return read.count();
    }
}
