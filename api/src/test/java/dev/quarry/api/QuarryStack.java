package dev.quarry.api;

import dev.quarry.testing.PrivateServer;
import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API in this JVM and one worker process, against servers a test owns (a private PostgreSQL or Redis that
 * it stops), started by hand so that they are closed before those servers go away. Settings that matter in an
 * outage are shortened: a connection attempt gives up after 2 s, the outbox sweeps every second, and the
 * worker's watchdog checks its job server every second.
 */
public final class QuarryStack implements AutoCloseable {
    private final ConfigurableApplicationContext api;
    private final WorkerProcess worker;
    private final int workerPort;
    private final PrivateServer server;

    private QuarryStack(ConfigurableApplicationContext api, WorkerProcess worker, int workerPort, PrivateServer server) {
        this.api = api;
        this.worker = worker;
        this.workerPort = workerPort;
        this.server = server;
    }

    /**
     * Starts both on the test services, except where {@code serverProperties} point them at {@code server},
     * which this then owns: it is closed after the applications, or at once if they fail. Returns once the
     * worker polls for jobs.
     */
    public static QuarryStack start(PrivateServer server, Map<String, String> serverProperties) {
        try {
            Map<String, String> services = new LinkedHashMap<>(TestServices.springProperties());
            services.putAll(serverProperties);
            return start(services, server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static QuarryStack start(Map<String, String> services, PrivateServer server) {
        // Defaults that a test's own properties (e.g. a longer Redis timeout) override.
        Map<String, String> shared = new LinkedHashMap<>(Map.of("spring.datasource.hikari.connection-timeout", "2000",
                "spring.data.redis.timeout", "500ms", "spring.data.redis.connect-timeout", "500ms"));
        shared.putAll(services);
        Map<String, String> api = new LinkedHashMap<>(shared);
        api.putAll(Map.of("server.port", "0", "quarry.jwt.secret", TestTokens.SECRET, "quarry.rate-limit.enabled", "false",
                "quarry.outbox.sweep-interval", "PT1S", "quarry.outbox.min-age", "PT3S"));
        ConfigurableApplicationContext apiContext = run(api);
        WorkerProcess worker = null;
        try {
            int workerPort = TestWorkers.freePort();
            Map<String, String> workerProperties = new LinkedHashMap<>(shared);
            workerProperties.putAll(Map.of("server.port", Integer.toString(workerPort),
                    "jobrunr.background-job-server.worker-count", "8",
                    "spring.datasource.hikari.maximum-pool-size", "10",
                    "quarry.watchdog.check-interval", "PT1S", "quarry.watchdog.initial-backoff", "PT1S",
                    "quarry.watchdog.max-backoff", "PT5S"));
            worker = TestWorkers.create("stack", workerProperties);
            worker.start();
            TestWorkers.awaitRunning(apiContext.getBean(JdbcTemplate.class), worker);
            return new QuarryStack(apiContext, worker, workerPort, server);
        } catch (Exception e) {
            try {
                if (worker != null) worker.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            apiContext.close();
            throw new IllegalStateException("could not start the worker process", e);
        }
    }

    public int workerPort() {
        return workerPort;
    }

    public int apiPort() {
        return Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
    }

    public <T> T api(Class<T> type) {
        return api.getBean(type);
    }

    /** Whether the worker's JobRunr server runs, as its {@code quarry.jobserver.running} gauge reports. */
    public boolean workerJobServerRunning() throws Exception {
        return TestWorkers.jobServerRunning(workerPort);
    }

    @Override
    public void close() {
        try {
            worker.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                api.close();
            } finally {
                server.close();
            }
        }
    }

    private static ConfigurableApplicationContext run(Map<String, String> properties) {
        return new SpringApplicationBuilder(ApiApplication.class).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
    }
}
