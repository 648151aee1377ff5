package dev.quarry.worker.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts JobRunr's BackgroundJobServer again after it stopped itself. JobRunr OSS stops the server for good
 * when its periodic tasks keep failing on storage errors (more than five failed runs of its JobSteward, or a
 * failed heartbeat of its ServerZooKeeper): a PostgreSQL restart would otherwise leave the worker idle
 * until someone restarts the process. Every {@code check-interval} this looks at the server; once it has
 * stopped and PostgreSQL answers again, it calls {@link BackgroundJobServer#start()}, waiting a backoff that
 * doubles per restart that did not last (the database may flap). Its state is the {@code jobServerWatchdog}
 * health (part of readiness) and the {@code quarry.jobserver.running} and {@code quarry.jobserver.restarts}
 * metrics. It stops checking when the application shuts down, so a deliberate stop stays a stop.
 */
@Component
@ConditionalOnProperty(name = "jobrunr.background-job-server.enabled", havingValue = "true")
@EnableConfigurationProperties(WatchdogProperties.class)
class JobServerWatchdog implements SmartLifecycle, HealthIndicator {
    private static final Logger log = LoggerFactory.getLogger(JobServerWatchdog.class);
    private final BackgroundJobServer server;
    private final DatabaseProbe database;
    private final WatchdogProperties properties;
    private final Clock clock;
    private final Counter restarts;
    private ScheduledExecutorService scheduler;
    private volatile boolean checking;
    private volatile WatchdogState state;

    JobServerWatchdog(BackgroundJobServer server, DatabaseProbe database, WatchdogProperties properties,
                      MeterRegistry meters) {
        this.server = server;
        this.database = database;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.state = WatchdogState.running(clock.instant());
        this.restarts = Counter.builder("quarry.jobserver.restarts")
                .description("Restarts of JobRunr's background job server after it stopped itself").register(meters);
        Gauge.builder("quarry.jobserver.running", () -> server.isRunning() ? 1 : 0)
                .description("1 while JobRunr's background job server processes jobs").register(meters);
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobserver-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        checking = true;
        long interval = properties.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::checkSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        checking = false;
        if (scheduler != null) scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return checking;
    }

    /** After JobRunr's server has started, and stopped first on shutdown. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    @Override
    public Health health() {
        WatchdogState current = state;
        Health.Builder health = server.isRunning() ? Health.up() : Health.down();
        health.withDetail("serverRunning", server.isRunning()).withDetail("restarts", (long) restarts.count());
        if (current.stoppedSince() != null) health.withDetail("stoppedSince", current.stoppedSince().toString());
        if (current.nextAttempt() != null) health.withDetail("nextRestartAttempt", current.nextAttempt().toString());
        if (current.lastRestart() != null) health.withDetail("lastRestart", current.lastRestart().toString());
        return health.build();
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("job server check failed, checking again in {}: {}", properties.checkInterval(), e.toString());
        }
    }

    /** One look at the server, every {@code check-interval} on the watchdog's own thread. */
    void check() {
        Instant now = clock.instant();
        if (!checking) return;
        if (server.isRunning()) {
            state = state.observedRunning(now, properties.stableAfter());
            return;
        }
        if (state.stoppedSince() == null) {
            state = state.observedStopped(now, properties.backoff(state.attempts()));
            log.warn("JobRunr's background job server has stopped (storage errors?); restarting it once "
                    + "PostgreSQL answers, first attempt at {}", state.nextAttempt());
        }
        if (now.isBefore(state.nextAttempt())) return;
        if (!database.answers()) {
            // From the end of the probe, which may have waited for the pool's connection timeout.
            state = state.postponed(clock.instant(), properties.backoff(state.attempts()));
            log.info("PostgreSQL still unreachable; job server restart postponed to {}", state.nextAttempt());
            return;
        }
        log.warn("PostgreSQL answers again: restarting JobRunr's background job server (attempt {})",
                state.attempts() + 1);
        server.start();
        restarts.increment();
        state = state.restarted(clock.instant(), properties.backoff(state.attempts() + 1));
        log.info("JobRunr's background job server restarted; running: {}", server.isRunning());
    }
}
