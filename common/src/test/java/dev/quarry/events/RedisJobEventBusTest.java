package dev.quarry.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A publish must never wait for Redis: here Redis accepts the connection and never answers, with a command
 * timeout of a minute. Publishing used to block the caller (a job thread, a request thread) for that minute.
 */
class RedisJobEventBusTest {
    private static final int CAPACITY = 4;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    private ServerSocket silent;
    private LettuceConnectionFactory connections;
    private RedisJobEventBus bus;

    @AfterEach
    void close() throws Exception {
        if (bus != null) bus.stop();
        if (connections != null) connections.destroy();
        synchronized (held) {
            for (Socket socket : held) socket.close();
        }
        if (silent != null) silent.close();
    }

    @Test
    void publishing_to_a_redis_that_never_answers_returns_at_once_and_drops_what_the_queue_cannot_hold()
            throws Exception {
        bus = new RedisJobEventBus(new StringRedisTemplate(silentRedis()), meters, CAPACITY);

        // A bound far below the one-minute timeout: a single blocking publish would break it.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 100; i++) bus.publish(event(i));
        });

        // The sender holds (at most) one message in its stuck send, the queue four: the rest were dropped. On a
        // loaded machine the sender's first connection attempt can fail at once (a fresh-clone CI run logged
        // "Unable to connect"), and it then takes one more message from the queue into its next, stuck, send.
        assertThat(meters.get("quarry.events.live.dropped").tag("reason", "queue-full").counter().count())
                .isBetween(100.0 - CAPACITY - 2, 100.0 - CAPACITY);
        assertThat(meters.get("quarry.events.live.queued").gauge().value()).isBetween(CAPACITY - 1.0, (double) CAPACITY);
    }

    private LettuceConnectionFactory silentRedis() throws IOException {
        silent = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) held.add(silent.accept());
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-redis");
        acceptor.setDaemon(true);
        acceptor.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("localhost", silent.getLocalPort()),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofMinutes(1)).build());
        connections.afterPropertiesSet();
        connections.start();
        return connections;
    }

    private static JobEvent event(long id) {
        return new JobEvent(id, UUID.randomUUID(), "acme", "progress", Map.of("step", "embed"), Instant.now());
    }
}
