package dev.quarry.events;

import dev.quarry.testing.PrivateServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code quarry.redis.connections} on a real Redis of the test's own, which it then stops: while Redis does not
 * answer, a command waits for the client's timeout (Lettuce queues it and reconnects), yet a scrape returns at
 * once with the last counts, because the read runs on the gauge's own thread; once that read fails the gauge
 * says NaN. Read on the scrape's thread, each of these scrapes took the whole command timeout.
 */
class RedisConnectionsGaugeIT {
    private static final String CLIENT = "gauge-test";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(8);

    @Test
    void a_scrape_does_not_wait_for_a_redis_that_does_not_answer() throws Exception {
        try (PrivateServer redis = PrivateServer.redis()) {
            LettuceConnectionFactory connections = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("localhost", redis.port()),
                    LettuceClientConfiguration.builder().clientName(CLIENT).commandTimeout(COMMAND_TIMEOUT).build());
            connections.afterPropertiesSet();
            MeterRegistry meters = new SimpleMeterRegistry();
            try (RedisConnectionsGauge.Counts counts = new RedisConnectionsGauge().redisConnectionCounts(connections,
                    new RedisConnectionsGauge.RedisClientName(CLIENT),
                    new StaticListableBeanFactory(Map.of("meters", meters)).getBeanProvider(MeterRegistry.class),
                    Duration.ZERO)) {
                Gauge command = meters.get("quarry.redis.connections").tag("kind", "command").gauge();
                Gauge subscriber = meters.get("quarry.redis.connections").tag("kind", "subscriber").gauge();
                await().atMost(Duration.ofSeconds(20)).until(() -> command.value() == 1.0 && subscriber.value() == 0.0);

                redis.stop();
                // Each scrape finds the counts stale (refresh 0) and would read now; none may wait for Redis.
                for (int scrape = 0; scrape < 5; scrape++) {
                    long start = System.nanoTime();
                    double value = command.value();
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(took).as("scrape %d while Redis is down", scrape).isLessThan(Duration.ofMillis(500));
                    assertThat(value).as("the last count, while the read in the background waits").isEqualTo(1.0);
                }
                await().atMost(COMMAND_TIMEOUT.multipliedBy(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Double.isNaN(command.value()) && Double.isNaN(subscriber.value()));
            } finally {
                connections.destroy();
            }
        }
    }
}
