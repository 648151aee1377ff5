package dev.quarry.worker.jobs;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WatchdogStateTest {
    private static final WatchdogProperties PROPERTIES = new WatchdogProperties(Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(1));
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void the_backoff_doubles_per_attempt_up_to_the_maximum() {
        assertThat(PROPERTIES.backoff(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(PROPERTIES.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(PROPERTIES.backoff(4)).isEqualTo(Duration.ofSeconds(80));
        assertThat(PROPERTIES.backoff(5)).isEqualTo(Duration.ofMinutes(2));
        assertThat(PROPERTIES.backoff(1_000)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void restarts_that_do_not_last_wait_longer_and_a_stable_run_starts_the_backoff_over() {
        WatchdogState state = WatchdogState.running(T0).observedStopped(T0, PROPERTIES.backoff(0));
        assertThat(state.nextAttempt()).isEqualTo(T0.plusSeconds(5));

        state = state.restarted(T0.plusSeconds(5), PROPERTIES.backoff(1));
        assertThat(state.attempts()).isEqualTo(1);
        assertThat(state.stoppedSince()).isEqualTo(T0);
        state = state.observedRunning(T0.plusSeconds(6), PROPERTIES.stableAfter());
        assertThat(state.stoppedSince()).isNull();
        assertThat(state.attempts()).isEqualTo(1);

        // Stopped again within a minute: the next attempt waits twice as long.
        state = state.observedStopped(T0.plusSeconds(20), PROPERTIES.backoff(state.attempts()));
        assertThat(state.nextAttempt()).isEqualTo(T0.plusSeconds(30));
        state = state.restarted(T0.plusSeconds(30), PROPERTIES.backoff(2))
                .observedRunning(T0.plusSeconds(31), PROPERTIES.stableAfter());
        assertThat(state.attempts()).isEqualTo(2);

        state = state.observedRunning(T0.plusSeconds(91), PROPERTIES.stableAfter());
        assertThat(state.attempts()).isZero();
        assertThat(state.lastRestart()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void a_postponed_attempt_keeps_the_time_the_server_stopped() {
        WatchdogState state = WatchdogState.running(T0).observedStopped(T0, PROPERTIES.backoff(0))
                .postponed(T0.plusSeconds(7), PROPERTIES.backoff(0));

        assertThat(state.stoppedSince()).isEqualTo(T0);
        assertThat(state.nextAttempt()).isEqualTo(T0.plusSeconds(12));
        assertThat(state.attempts()).isZero();
    }
}
