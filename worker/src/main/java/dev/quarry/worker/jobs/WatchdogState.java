package dev.quarry.worker.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@link JobServerWatchdog} knows: since when the server has been stopped (null while it runs), when it
 * may next try a restart, how many restarts since the server last ran stably, and when the last one was.
 */
record WatchdogState(Instant stoppedSince, Instant nextAttempt, int attempts, Instant lastRestart,
                     Instant runningSince) {

    static WatchdogState running(Instant now) {
        return new WatchdogState(null, null, 0, null, now);
    }

    WatchdogState observedRunning(Instant now, Duration stableAfter) {
        Instant since = runningSince != null ? runningSince : now;
        boolean stable = attempts > 0 && !now.isBefore(since.plus(stableAfter));
        return new WatchdogState(null, null, stable ? 0 : attempts, lastRestart, since);
    }

    WatchdogState observedStopped(Instant now, Duration backoff) {
        return new WatchdogState(now, now.plus(backoff), attempts, lastRestart, null);
    }

    WatchdogState postponed(Instant now, Duration backoff) {
        return new WatchdogState(stoppedSince, now.plus(backoff), attempts, lastRestart, null);
    }

    WatchdogState restarted(Instant now, Duration nextBackoff) {
        // Stays "stopped" until a check sees the server running; a restart that did not take waits longer.
        return new WatchdogState(stoppedSince, now.plus(nextBackoff), attempts + 1, now, null);
    }
}
