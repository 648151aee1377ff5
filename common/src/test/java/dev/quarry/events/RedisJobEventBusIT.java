package dev.quarry.events;

import dev.quarry.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** On a real Redis, a job's channel carries only the ids of its events: SSE streams read the rest from job_events. */
class RedisJobEventBusIT {

    @Test
    void a_published_event_rings_its_jobs_channel_with_the_event_id_alone() throws Exception {
        TestServices.Endpoints redis = TestServices.endpoints();
        UUID job = UUID.randomUUID();
        List<String> received = new CopyOnWriteArrayList<>();
        RedisClient client = RedisClient.create(RedisURI.create(redis.redisHost(), redis.redisPort()));
        LettuceConnectionFactory connections =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.redisHost(), redis.redisPort()));
        connections.afterPropertiesSet();
        RedisJobEventBus bus = new RedisJobEventBus(new StringRedisTemplate(connections), new SimpleMeterRegistry(), 16);
        try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(channel + " " + message);
                }
            });
            subscriber.sync().subscribe(JobEventChannels.forJob(job));

            bus.publish(new JobEvent(4711, job, "acme", "progress",
                    Map.of("step", "embed", "secret", "document text"), Instant.now()));

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(received).containsExactly(JobEventChannels.forJob(job) + " 4711"));
        } finally {
            bus.stop();
            connections.destroy();
            client.shutdown();
        }
    }
}
