package dev.quarry.worker.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.watchdog.*}: how often the job server is checked (5 s), the pause before the first restart
 * attempt (5 s), doubled per attempt that did not last up to {@code max-backoff} (2 min), and how long a
 * restarted server must keep running before the backoff starts over (1 min).
 */
@ConfigurationProperties("quarry.watchdog")
record WatchdogProperties(Duration checkInterval, Duration initialBackoff, Duration maxBackoff, Duration stableAfter) {

    WatchdogProperties {
        checkInterval = checkInterval == null ? Duration.ofSeconds(5) : checkInterval;
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(5) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        stableAfter = stableAfter == null ? Duration.ofMinutes(1) : stableAfter;
    }

    /** The pause before restart attempt {@code attempt} (0-based) since the server last ran stably. */
    Duration backoff(int attempt) {
        Duration delay = initialBackoff;
        for (int i = 0; i < attempt && delay.compareTo(maxBackoff) < 0; i++) delay = delay.multipliedBy(2);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
