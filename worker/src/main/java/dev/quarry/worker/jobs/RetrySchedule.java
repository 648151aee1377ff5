package dev.quarry.worker.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A job type's retry policy, declared as data: the delay before each retry (after the first failure, the
 * second...) and the relative jitter applied to every delay, so that many jobs failing together (a
 * database restart) do not all come back at the same instant.
 */
record RetrySchedule(List<Duration> delays, double jitter) {

    static final RetrySchedule DEFAULT = new RetrySchedule(
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(25), Duration.ofSeconds(125)), 0.2);

    RetrySchedule {
        delays = List.copyOf(delays);
        if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("jitter must be in [0, 1)");
    }

    int retries() {
        return delays.size();
    }

    /** The delay before retry number {@code retry} (1-based), jittered uniformly within ±jitter. */
    Duration delayBefore(int retry) {
        Duration base = delays.get(retry - 1);
        double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
        return Duration.ofMillis(Math.max(0, Math.round(base.toMillis() * factor)));
    }
}
