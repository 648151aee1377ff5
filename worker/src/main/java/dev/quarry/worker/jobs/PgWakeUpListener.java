package dev.quarry.worker.jobs;

import dev.quarry.jobs.PgJobWakeUp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Instant pickup: LISTENs on {@link PgJobWakeUp#CHANNEL} and, on each wake-up, has JobRunr fetch work at once
 * ({@link JobRunrOnboarding}), so a job accepted while a thread is free starts in milliseconds, not at JobRunr's
 * next poll (5 s at best). Wake-ups that arrive together cost one fetch. After every fetch it fetches once
 * more {@code quarry.pickup.follow-up} later, for a job whose wake-up came while one of JobRunr's own fetches
 * held the fetch lock. It holds one connection of its own, outside the pool (a LISTEN needs the same session
 * throughout, and a pooled one would be taken from the job threads); when it breaks (a PostgreSQL restart) it
 * listens again after {@code quarry.pickup.reconnect-delay} and fetches, for the jobs enqueued meanwhile. Jobs
 * never depend on it: JobRunr's poll picks up whatever a lost wake-up left.
 */
@Component
@ConditionalOnProperty(name = "jobrunr.background-job-server.enabled", havingValue = "true")
@EnableConfigurationProperties(PickupProperties.class)
class PgWakeUpListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(PgWakeUpListener.class);
    /** How long one wait for notifications lasts when no follow-up is due: only bounds the reaction to stop(). */
    private static final int IDLE_WAIT_MILLIS = 1000;
    private final DataSourceProperties database;
    private final JobRunrOnboarding onboarding;
    private final PickupProperties properties;
    private final Counter wakeUps;
    private volatile boolean listening;
    private volatile boolean connected;
    private volatile Connection connection;
    private Thread thread;
    private CountDownLatch stopped;

    PgWakeUpListener(DataSourceProperties database, JobRunrOnboarding onboarding, PickupProperties properties,
                     MeterRegistry meters) {
        this.database = database;
        this.onboarding = onboarding;
        this.properties = properties;
        this.wakeUps = Counter.builder("quarry.pickup.wakeups")
                .description("Wake-ups that made this worker fetch jobs before JobRunr's next poll").register(meters);
        Gauge.builder("quarry.pickup.listening", () -> connected ? 1 : 0)
                .description("1 while the worker listens for job wake-ups (0: jobs wait for JobRunr's poll)")
                .register(meters);
    }

    @Override
    public synchronized void start() {
        listening = true;
        stopped = new CountDownLatch(1);
        thread = new Thread(this::listenUntilStopped, "job-wake-up-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        listening = false;
        closeQuietly(connection); // ends a wait for notifications at once
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return listening;
    }

    /** Whether this worker is listening for wake-ups right now. */
    boolean connected() {
        return connected;
    }

    private void listenUntilStopped() {
        try {
            while (listening) {
                try (Connection session = DriverManager.getConnection(database.determineUrl(),
                        database.determineUsername(), database.determinePassword())) {
                    connection = session;
                    listen(session);
                } catch (SQLException | RuntimeException e) {
                    if (listening) log.warn("job wake-ups lost ({}); jobs start at JobRunr's poll until the worker "
                            + "listens again in {}", e.toString(), properties.reconnectDelay());
                } finally {
                    connected = false;
                }
                if (listening) pause();
            }
        } finally {
            stopped.countDown();
        }
    }

    private void listen(Connection session) throws SQLException {
        try (Statement statement = session.createStatement()) {
            statement.execute("LISTEN " + PgJobWakeUp.CHANNEL);
        }
        connected = true;
        log.info("listening for job wake-ups on {}", PgJobWakeUp.CHANNEL);
        PGConnection notifications = session.unwrap(PGConnection.class);
        boolean followUpDue = fetch(); // whatever was enqueued while nobody listened
        while (listening) {
            int wait = followUpDue ? (int) properties.followUp().toMillis() : IDLE_WAIT_MILLIS;
            PGNotification[] received = notifications.getNotifications(wait);
            if (received != null && received.length > 0) {
                wakeUps.increment();
                followUpDue = fetch();
            } else if (followUpDue) {
                fetch();
                followUpDue = false;
            }
        }
    }

    /** @return true: a follow-up fetch is due */
    private boolean fetch() {
        try {
            onboarding.fetchNow();
        } catch (RuntimeException e) {
            // A storage error: JobRunr's own poll meets it too, and its handling (and the watchdog) apply.
            log.debug("fetch on wake-up failed: {}", e.toString());
        }
        return true;
    }

    private void pause() {
        try {
            Thread.sleep(properties.reconnectDelay().toMillis()); // a backoff between reconnects, not a wait for an outcome
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listening = false;
        }
    }

    private static void closeQuietly(Connection session) {
        if (session == null) return;
        try {
            session.close();
        } catch (SQLException | RuntimeException ignored) {
            // closing only to end the wait
        }
    }
}
