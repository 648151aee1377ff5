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

/**
 * {@code quarry.redis.connections{kind}}: the Redis connections this process holds, as Redis itself sees
 * them. Lettuce shares one connection for commands and opens more for subscriptions; it keeps no pool and
 * counts nothing, so each process names its connections ({@code CLIENT SETNAME}, a name unique to the
 * process) and counts its own entries in {@code CLIENT LIST}: {@code kind=subscriber} for pub/sub
 * connections (SSE's listener), {@code kind=command} for the rest. Read at most every
 * {@code quarry.metrics.redis-refresh}; NaN while Redis does not answer, which is itself worth a look.
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
        meters.ifAvailable(registry -> {
            for (String kind : List.of("command", "subscriber")) {
                Gauge.builder("quarry.redis.connections", counts, c -> c.of(kind))
                        .description("Redis connections this process holds, by kind (from CLIENT LIST)")
                        .tag("kind", kind).register(registry);
            }
        });
        return counts;
    }

    static final class Counts {
        private final RedisConnectionFactory redis;
        private final String name;
        private final Duration refresh;
        private final Clock clock = Clock.systemUTC();
        private Instant readAt = Instant.MIN;
        private double command = Double.NaN;
        private double subscriber = Double.NaN;

        Counts(RedisConnectionFactory redis, String name, Duration refresh) {
            this.redis = redis;
            this.name = name;
            this.refresh = refresh;
        }

        synchronized double of(String kind) {
            Instant now = clock.instant();
            if (!now.isBefore(readAt.plus(refresh))) {
                readAt = now;
                read();
            }
            return kind.equals("subscriber") ? subscriber : command;
        }

        private void read() {
            try (var connection = redis.getConnection()) {
                List<RedisClientInfo> clients = connection.serverCommands().getClientList();
                long subscribers = clients.stream().filter(c -> name.equals(c.getName()) && subscribed(c)).count();
                long all = clients.stream().filter(c -> name.equals(c.getName())).count();
                subscriber = subscribers;
                command = all - subscribers;
            } catch (RuntimeException e) {
                log.debug("Redis connections not counted: {}", e.toString());
                command = Double.NaN;
                subscriber = Double.NaN;
            }
        }

        private static boolean subscribed(RedisClientInfo client) {
            return positive(client.get("sub")) || positive(client.get("psub"));
        }

        private static boolean positive(String value) {
            return value != null && !value.isBlank() && !value.equals("0");
        }
    }
}
