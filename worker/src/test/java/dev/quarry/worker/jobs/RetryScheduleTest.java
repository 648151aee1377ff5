package dev.quarry.worker.jobs;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {

    @RepeatedTest(20)
    void each_delay_stays_within_twenty_percent_of_the_schedule() {
        RetrySchedule schedule = RetrySchedule.DEFAULT;
        long[] base = {1000, 5000, 25000, 125000};
        for (int retry = 1; retry <= 4; retry++) {
            assertThat(schedule.delayBefore(retry).toMillis())
                    .isBetween(Math.round(base[retry - 1] * 0.8), Math.round(base[retry - 1] * 1.2));
        }
    }

    @Test
    void jitter_spreads_retries_that_would_otherwise_coincide() {
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToLong(i -> RetrySchedule.DEFAULT.delayBefore(4).toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }

    @Test
    void the_schedule_is_configurable_per_job_type() {
        var properties = new RetryProperties(Map.of("ingest",
                new RetryProperties.Policy(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), 0.0)));

        assertThat(properties.forType("ingest").retries()).isEqualTo(2);
        assertThat(properties.forType("ingest").delayBefore(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.forType("export")).isEqualTo(RetrySchedule.DEFAULT);
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ZERO), 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
