package dev.quarry.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.types.RedisClientInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code quarry.redis.connections{kind}}: the Redis connections this process holds, as Redis itself sees
 * them. Lettuce shares one connection for commands and opens more for subscriptions; it keeps no pool and
 * counts nothing, so each process names its connections ({@code CLIENT SETNAME}, a name unique to the
 * process) and counts its own entries in {@code CLIENT LIST}: {@code kind=subscriber} for pub/sub
 * connections (SSE's listener), {@code kind=command} for the rest. Read at most every
 * {@code quarry.metrics.redis-refresh}, in the background (never on the scrape's thread); NaN while Redis does
 * not answer, which is itself worth a look.
 */
@Configuration(proxyBeanMethods = false)
class RedisConnectionsGauge {
    private static final Logger log = LoggerFactory.getLogger(RedisConnectionsGauge.class);

    /** The client name of this process's connections: the application's name and a random suffix. */
    @Bean
    RedisClientName redisClientName(@Value("${spring.application.name:quarry}") String application) {
        return new RedisClientName(application + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    record RedisClientName(String value) {
    }

    @Bean
    LettuceClientConfigurationBuilderCustomizer quarryRedisClientName(RedisClientName name) {
        return builder -> builder.clientName(name.value());
    }

    @Bean
    Counts redisConnectionCounts(RedisConnectionFactory redis, RedisClientName name,
                                 ObjectProvider<MeterRegistry> meters,
                                 @Value("${quarry.metrics.redis-refresh:PT5S}") Duration refresh) {
        Counts counts = new Counts(redis, name.value(), refresh);
        // A first read now, so that the first scrape already has counts rather than NaN.
        counts.refreshIfStale();
        meters.ifAvailable(registry -> {
            for (String kind : List.of("command", "subscriber")) {
                Gauge.builder("quarry.redis.connections", counts, c -> c.of(kind))
                        .description("Redis connections this process holds, by kind (from CLIENT LIST)")
                        .tag("kind", kind).register(registry);
            }
        });
        return counts;
    }

    /**
     * The last counts read, refreshed on a thread of their own: a scrape that finds them older than the refresh
     * interval starts one read there and returns at once, so a Redis that does not answer (a command waits for
     * the client's timeout while Lettuce reconnects) can never make the metrics endpoint hang, as
     * {@code WaitingJobsGauge} does for the database.
     */
    static final class Counts implements AutoCloseable {
        private final RedisConnectionFactory redis;
        private final String name;
        private final Duration refresh;
        private final Clock clock = Clock.systemUTC();
        private final AtomicBoolean refreshing = new AtomicBoolean();
        private final ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "redis-connections-gauge");
            thread.setDaemon(true);
            return thread;
        });
        private volatile Instant readAt = Instant.MIN;
        private volatile Read last = new Read(Double.NaN, Double.NaN);

        private record Read(double command, double subscriber) {
        }

        Counts(RedisConnectionFactory redis, String name, Duration refresh) {
            this.redis = redis;
            this.name = name;
            this.refresh = refresh;
        }

        /** The count of {@code kind} as last read; a stale one starts a read in the background. */
        double of(String kind) {
            refreshIfStale();
            Read read = last;
            return kind.equals("subscriber") ? read.subscriber() : read.command();
        }

        /** Starts one read on the gauge's thread if the last is older than the refresh interval and none runs. */
        void refreshIfStale() {
            if (!clock.instant().isBefore(readAt.plus(refresh)) && refreshing.compareAndSet(false, true)) {
                try {
                    refresher.execute(this::refresh);
                } catch (RejectedExecutionException closed) {
                    refreshing.set(false);
                }
            }
        }

        private void refresh() {
            try {
                last = read();
            } finally {
                // Also after a failure: a Redis that is down is asked again after the interval, not hammered.
                readAt = clock.instant();
                refreshing.set(false);
            }
        }

        private Read read() {
            try (var connection = redis.getConnection()) {
                List<RedisClientInfo> clients = connection.serverCommands().getClientList();
                long subscribers = clients.stream().filter(c -> name.equals(c.getName()) && subscribed(c)).count();
                long all = clients.stream().filter(c -> name.equals(c.getName())).count();
                return new Read(all - subscribers, subscribers);
            } catch (RuntimeException e) {
                log.debug("Redis connections not counted: {}", e.toString());
                return new Read(Double.NaN, Double.NaN);
            }
        }

        private static boolean subscribed(RedisClientInfo client) {
            return positive(client.get("sub")) || positive(client.get("psub"));
        }

        private static boolean positive(String value) {
            return value != null && !value.isBlank() && !value.equals("0");
        }

        /** Stops the refresh thread with the application context (Spring calls a bean's public close). */
        @Override
        public void close() {
            refresher.shutdownNow();
        }
    }
}
