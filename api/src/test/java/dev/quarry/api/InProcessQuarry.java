package dev.quarry.api;

import dev.quarry.testing.PrivateServer;
import dev.quarry.testing.TestServices;
import dev.quarry.worker.WorkerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API and one worker in this JVM, against servers a test owns (a private PostgreSQL or Redis that it
 * stops), started by hand so that they are closed before those servers go away. Settings that matter in an
 * outage are shortened: a connection attempt gives up after 2 s, the outbox sweeps every second, and the
 * worker's watchdog checks its job server every second.
 */
public final class InProcessQuarry implements AutoCloseable {
    private final ConfigurableApplicationContext api;
    private final ConfigurableApplicationContext worker;
    private final PrivateServer server;

    private InProcessQuarry(ConfigurableApplicationContext api, ConfigurableApplicationContext worker,
                            PrivateServer server) {
        this.api = api;
        this.worker = worker;
        this.server = server;
    }

    /**
     * Starts both applications on the test services, except where {@code serverProperties} point them at
     * {@code server}, which this then owns: it is closed after the applications, or at once if they fail.
     */
    public static InProcessQuarry start(PrivateServer server, Map<String, String> serverProperties) {
        try {
            Map<String, String> services = new LinkedHashMap<>(TestServices.springProperties());
            services.putAll(serverProperties);
            return start(services, server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static InProcessQuarry start(Map<String, String> services, PrivateServer server) {
        // Defaults that a test's own properties (e.g. a longer Redis timeout) override.
        Map<String, String> shared = new LinkedHashMap<>(Map.of("server.port", "0",
                "spring.datasource.hikari.connection-timeout", "2000",
                "spring.data.redis.timeout", "500ms", "spring.data.redis.connect-timeout", "500ms"));
        shared.putAll(services);
        Map<String, String> api = new LinkedHashMap<>(shared);
        api.putAll(Map.of("quarry.jwt.secret", TestTokens.SECRET, "quarry.outbox.sweep-interval", "PT1S",
                "quarry.outbox.min-age", "PT3S"));
        ConfigurableApplicationContext apiContext = run(ApiApplication.class, api);
        try {
            // In this JVM "application.yml" is the API's (background server off): only arguments outrank it.
            Map<String, String> worker = new LinkedHashMap<>(shared);
            worker.putAll(Map.of("spring.application.name", "quarry-worker", "jobrunr.dashboard.enabled", "false",
                    "jobrunr.background-job-server.enabled", "true",
                    "jobrunr.background-job-server.poll-interval-in-seconds", "5",
                    "jobrunr.background-job-server.worker-count", "8",
                    "spring.datasource.hikari.maximum-pool-size", "10",
                    "quarry.watchdog.check-interval", "PT1S", "quarry.watchdog.initial-backoff", "PT1S",
                    "quarry.watchdog.max-backoff", "PT5S"));
            return new InProcessQuarry(apiContext, run(WorkerApplication.class, worker), server);
        } catch (RuntimeException e) {
            apiContext.close();
            throw e;
        }
    }

    public int apiPort() {
        return Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
    }

    public <T> T api(Class<T> type) {
        return api.getBean(type);
    }

    public <T> T worker(Class<T> type) {
        return worker.getBean(type);
    }

    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            try {
                api.close();
            } finally {
                server.close();
            }
        }
    }

    private static ConfigurableApplicationContext run(Class<?> application, Map<String, String> properties) {
        return new SpringApplicationBuilder(application).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
    }
}
