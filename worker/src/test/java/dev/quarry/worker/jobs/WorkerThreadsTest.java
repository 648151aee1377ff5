package dev.quarry.worker.jobs;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerThreadsTest {
    private final WorkerThreads workerThreads = new WorkerThreads();

    @Test
    void without_a_setting_a_worker_runs_twelve_jobs_per_core() {
        MockEnvironment environment = new MockEnvironment();
        workerThreads.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(WorkerThreads.WORKER_COUNT, Integer.class))
                .isEqualTo(12 * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void quarry_worker_threads_sets_the_count_and_per_core_scales_it() {
        MockEnvironment explicit = new MockEnvironment().withProperty("quarry.worker.threads", "3");
        workerThreads.postProcessEnvironment(explicit, new SpringApplication());
        assertThat(explicit.getProperty(WorkerThreads.WORKER_COUNT)).isEqualTo("3");
        assertThat(WorkerThreads.threads(null, 2, 4)).isEqualTo(8);
    }

    @Test
    void jobruns_own_setting_wins() {
        MockEnvironment environment = new MockEnvironment().withProperty(WorkerThreads.WORKER_COUNT, "5")
                .withProperty("quarry.worker.threads", "3");
        workerThreads.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(WorkerThreads.WORKER_COUNT)).isEqualTo("5");
    }

    @Test
    void a_count_below_one_is_refused_with_the_setting_named() {
        assertThatThrownBy(() -> WorkerThreads.threads(0, 12, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quarry.worker.threads is 0");
        assertThatThrownBy(() -> WorkerThreads.threads(null, -1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads-per-core is -1");
    }

    @Test
    void the_pool_has_room_for_every_job_thread_and_jobruns_own_work() {
        MockEnvironment environment = new MockEnvironment().withProperty("quarry.worker.threads", "24");
        workerThreads.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(WorkerThreads.POOL_SIZE, Integer.class)).isEqualTo(24 + WorkerThreads.POOL_HEADROOM);

        MockEnvironment jobRunrCount = new MockEnvironment().withProperty(WorkerThreads.WORKER_COUNT, "5");
        workerThreads.postProcessEnvironment(jobRunrCount, new SpringApplication());
        assertThat(jobRunrCount.getProperty(WorkerThreads.POOL_SIZE, Integer.class)).isEqualTo(5 + WorkerThreads.POOL_HEADROOM);
    }

    @Test
    void an_operators_pool_size_wins() {
        MockEnvironment variable = new MockEnvironment().withProperty("QUARRY_DB_POOL_SIZE", "7");
        workerThreads.postProcessEnvironment(variable, new SpringApplication());
        assertThat(variable.getProperty(WorkerThreads.POOL_SIZE)).isEqualTo("7");

        MockEnvironment spring = new MockEnvironment().withProperty(WorkerThreads.POOL_SIZE, "9");
        workerThreads.postProcessEnvironment(spring, new SpringApplication());
        assertThat(spring.getProperty(WorkerThreads.POOL_SIZE)).isEqualTo("9");
    }
}
