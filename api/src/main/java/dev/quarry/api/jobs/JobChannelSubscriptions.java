package dev.quarry.api.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * One Redis channel subscription per watched job, shared by all of that job's open streams. A message
 * or a (re)confirmed subscription wakes every stream of the job up to catch up from {@code job_events}.
 * Redis confirms a SUBSCRIBE only once per channel, so the confirmation is tracked here, per channel,
 * rather than per stream.
 */
final class JobChannelSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(JobChannelSubscriptions.class);
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final RedisMessageListenerContainer container;
    private final ExecutorService subscriber;

    JobChannelSubscriptions(RedisMessageListenerContainer container, ExecutorService subscriber) {
        this.container = container;
        this.subscriber = subscriber;
    }

    void add(String name, JobEventStream stream) {
        channels.compute(name, (key, channel) -> {
            if (channel == null) {
                channel = new Channel(name);
                Channel subscribed = channel;
                submit(() -> container.addMessageListener(subscribed, new ChannelTopic(name)), name);
            }
            channel.streams.add(stream);
            return channel;
        });
    }

    void remove(String name, JobEventStream stream) {
        channels.computeIfPresent(name, (key, channel) -> {
            channel.streams.remove(stream);
            if (!channel.streams.isEmpty()) return channel;
            submit(() -> container.removeMessageListener(channel, new ChannelTopic(name)), name);
            return null;
        });
    }

    boolean confirmed(String name) {
        Channel channel = channels.get(name);
        return channel != null && channel.confirmed && container.isListening();
    }

    void shutdown() {
        subscriber.shutdownNow();
    }

    private void submit(Runnable change, String name) {
        try {
            subscriber.execute(() -> {
                try {
                    change.run();
                } catch (RuntimeException e) {
                    // Redis down: the container retries on its own; meanwhile the streams are polled.
                    log.warn("Redis subscription change for {} failed: {}", name, e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.debug("subscription change for {} dropped during shutdown", name);
        }
    }

    private static final class Channel implements MessageListener, SubscriptionListener {
        private final String name;
        private final Set<JobEventStream> streams = ConcurrentHashMap.newKeySet();
        private volatile boolean confirmed;

        private Channel(String name) {
            this.name = name;
        }

        @Override
        public void onMessage(Message message, byte[] pattern) {
            streams.forEach(JobEventStream::requestCatchUp);
        }

        @Override
        public void onChannelSubscribed(byte[] channel, long count) {
            if (!name.equals(new String(channel, StandardCharsets.UTF_8))) return;
            confirmed = true;
            // Anything published before the subscription took effect is in job_events: fetch it now.
            streams.forEach(JobEventStream::requestCatchUp);
        }

        @Override
        public void onChannelUnsubscribed(byte[] channel, long count) {
            if (name.equals(new String(channel, StandardCharsets.UTF_8))) confirmed = false;
        }
    }
}
