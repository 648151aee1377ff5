package dev.quarry.jobs;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class QueueEstimateTest {
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    @Test
    void a_job_with_a_free_thread_is_expected_to_start_now() {
        assertThat(PgJobQueue.estimate(0, 2, 4.0, 4, NOW)).isEqualTo(new QueuePosition(1, NOW));
    }

    @Test
    void jobs_ahead_beyond_the_free_threads_wait_their_share_of_the_mean_run() {
        // 4 threads busy, 7 ahead: 8 of the 11 before it must finish, two waves of 4 at 10 s each.
        assertThat(PgJobQueue.estimate(7, 4, 10.0, 4, NOW)).isEqualTo(new QueuePosition(8, NOW.plusSeconds(20)));
    }

    @Test
    void without_workers_or_history_there_is_a_position_but_no_estimate() {
        assertThat(PgJobQueue.estimate(3, 0, null, 4, NOW)).isEqualTo(new QueuePosition(4, null));
        assertThat(PgJobQueue.estimate(3, 0, 5.0, 0, NOW)).isEqualTo(new QueuePosition(4, null));
    }
}
