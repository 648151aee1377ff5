package dev.quarry.worker.jobs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerNameTest {

    @Test
    void a_restarted_container_gets_a_new_name_though_host_and_pid_are_the_same() {
        // In a container every start is pid 1 on the same host name: only the boot id tells them apart.
        String first = new WorkerName("", "", "3f2a9c1b7d4e", 1, "a1b2c3").value();
        String restarted = new WorkerName("", "", "3f2a9c1b7d4e", 1, "d4e5f6").value();

        assertThat(first).isEqualTo("3f2a9c1b7d4e:1:a1b2c3");
        assertThat(restarted).isNotEqualTo(first);
    }

    @Test
    void the_default_constructor_draws_a_new_boot_id_per_process_start() {
        String one = new WorkerName("", "").value();
        String other = new WorkerName("", "").value();

        assertThat(one).matches(".+:" + ProcessHandle.current().pid() + ":[0-9a-f]{6}");
        assertThat(other).isNotEqualTo(one);
    }

    @Test
    void a_long_host_name_is_cut_so_that_the_application_name_keeps_the_boot_id() {
        String name = new WorkerName("", "", "h".repeat(100), 123456, "abcdef").value();
        String applicationName = WorkerName.applicationName(name);

        assertThat(applicationName.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
        assertThat(applicationName).isEqualTo("quarry-worker:" + name).endsWith(":123456:abcdef");
    }

    @Test
    void a_host_name_outside_printable_ascii_becomes_ascii_so_postgresql_stores_the_application_name_unchanged() {
        // PostgreSQL turns each such byte of an application_name into '?': the sweeper's match would fail.
        assertThat(new WorkerName("", "", "hôte", 7, "abcdef").value()).isEqualTo("h_te:7:abcdef");
    }

    @Test
    void a_configured_name_is_kept_as_it_is() {
        assertThat(new WorkerName("worker-a-3", "ignored", "host", 1, "abcdef").value()).isEqualTo("worker-a-3");
        assertThat(new WorkerName("", "jobrunr-name", "host", 1, "abcdef").value()).isEqualTo("jobrunr-name");
    }
}
