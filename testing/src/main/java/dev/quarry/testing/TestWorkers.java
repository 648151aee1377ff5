package dev.quarry.testing;

import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Worker processes for integration tests: the worker's executable jar, which the build copies to the path in
 * the {@value #JAR_PROPERTY} system property, run as a child JVM wired to the test services. Tests outside the
 * worker module thus see the worker only as its users do, a process, never its classes.
 */
public final class TestWorkers {
    public static final String JAR_PROPERTY = "quarry.worker.jar";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The operator password of test workers' metrics (also in the worker's test application.properties). */
    public static final String PASSWORD = "worker-test-password";

    private TestWorkers() {
    }

    /** The Authorization header value that opens a test worker's metrics. */
    public static String operatorAuthorization() {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("operator:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static WorkerProcess create(String slot) {
        return create(slot, Map.of());
    }

    /** A worker on the test services with JobRunr's shortest timings; {@code overrides} win over both. */
    public static WorkerProcess create(String slot, Map<String, String> overrides) {
        return create(slot, overrides, Map.of());
    }

    /** {@link #create(String, Map)} with environment variables for the process (e.g. {@code OTEL_*}). */
    public static WorkerProcess create(String slot, Map<String, String> overrides, Map<String, String> environment) {
        Map<String, String> properties = new LinkedHashMap<>(TestServices.springProperties());
        properties.putAll(Map.of("server.port", "0", "jobrunr.dashboard.enabled", "false", "quarry.worker.password", PASSWORD,
                "jobrunr.background-job-server.poll-interval-in-seconds", "5",
                "jobrunr.background-job-server.server-timeout-poll-interval-multiplicand", "4",
                "jobrunr.background-job-server.worker-count", "4",
                // More connections than job threads: JobRunr's heartbeat must never wait for one behind the
                // jobs (after a few failed heartbeats the OSS server stops for good).
                "spring.datasource.hikari.maximum-pool-size", "8"));
        properties.putAll(overrides);
        return new WorkerProcess(slot, WorkerProcess.fromJar(jar(), "768m"), properties, environment,
                Path.of("target", "worker-processes"));
    }

    /** A port for a worker whose actuator a test reads ({@code server.port}). */
    public static int freePort() {
        return FreePorts.next();
    }

    /** Until the worker's JobRunr server has registered itself, i.e. it polls for jobs. */
    public static void awaitRunning(JdbcTemplate jdbc, WorkerProcess worker) {
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!worker.alive()) throw new AssertionError(worker.name() + " exited; see " + worker.log());
            return jdbc.queryForObject("select count(*) from jobrunr_backgroundjobservers where name = ? and running = 1",
                    Integer.class, worker.name()) > 0;
        });
    }

    /** Whether the worker listening on {@code port} reports its JobRunr server running (its own gauge). */
    public static boolean jobServerRunning(int port) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).timeout(Duration.ofSeconds(10))
                        .header("Authorization", operatorAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().anyMatch(line -> line.startsWith("quarry_jobserver_running") && line.endsWith(" 1.0"));
    }

    static Path jar() {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured == null || !Files.isRegularFile(Path.of(configured))) {
            throw new IllegalStateException("the worker's executable jar is not at " + JAR_PROPERTY + "=" + configured
                    + "; run the integration tests through Maven's verify, which builds and copies it");
        }
        return Path.of(configured);
    }
}
