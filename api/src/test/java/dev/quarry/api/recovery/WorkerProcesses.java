package dev.quarry.api.recovery;

import dev.quarry.bench.WorkerProcess;
import dev.quarry.testing.TestServices;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Worker processes for tests: child JVMs on this test JVM's class path, wired to the test services. */
final class WorkerProcesses {
    private WorkerProcesses() {
    }

    static WorkerProcess create(String slot) {
        // Surefire runs tests from a manifest-only jar; it hands the real class path over in this property.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // Arguments: on this class path "application.yml" is the API's, and only arguments outrank it.
        Map<String, String> properties = new LinkedHashMap<>(TestServices.springProperties());
        properties.putAll(Map.of("server.port", "0", "jobrunr.dashboard.enabled", "false",
                "jobrunr.background-job-server.enabled", "true",
                "jobrunr.background-job-server.poll-interval-in-seconds", "5",
                "jobrunr.background-job-server.server-timeout-poll-interval-multiplicand", "4",
                "jobrunr.background-job-server.worker-count", "4",
                // More connections than job threads: JobRunr's heartbeat must never wait for one behind the
                // jobs (after a few failed heartbeats the OSS server stops for good).
                "spring.datasource.hikari.maximum-pool-size", "8",
                "spring.application.name", "quarry-worker"));
        return new WorkerProcess(slot, WorkerProcess.fromClasspath(classpath, "768m"), properties,
                Path.of("target", "worker-processes"));
    }

    /** Until the worker's JobRunr server has registered itself, i.e. it polls for jobs. */
    static void awaitRunning(JdbcTemplate jdbc, WorkerProcess worker) {
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!worker.alive()) throw new AssertionError(worker.name() + " exited; see " + worker.log());
            return jdbc.queryForObject("select count(*) from jobrunr_backgroundjobservers where name = ? and running = 1",
                    Integer.class, worker.name()) > 0;
        });
    }
}
