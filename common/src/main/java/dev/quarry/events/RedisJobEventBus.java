package dev.quarry.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Live fan-out of job events over Redis pub/sub. Best effort by design: the event is already committed
 * to {@code job_events}, so a publish that does not reach Redis is dropped and SSE clients catch up from
 * the table. The message is only the event's id: a doorbell, since an SSE stream always reads what it sends
 * from {@code job_events} (docs/architecture.md, "Redis is a doorbell").
 *
 * <p>{@link #publish} never blocks and never throws: it only queues the message. One thread of this bus
 * sends the queue to Redis. While Redis is down or silent, each send can wait up to the client's command
 * timeout, and a job emits about nine events: done on the job's (or the request's) thread, that made five
 * small uploads take minutes. A full queue drops the newest message
 * ({@code quarry.events.live.dropped{reason=queue-full}}); a send that fails drops that message
 * ({@code reason=redis-failed}).
 */
@Component
public class RedisJobEventBus {
    private static final Logger log = LoggerFactory.getLogger(RedisJobEventBus.class);
    private final StringRedisTemplate redis;
    private final BlockingQueue<Message> queue;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter published;
    private final Thread sender;
    private volatile boolean failing;

    @Autowired
    public RedisJobEventBus(StringRedisTemplate redis, ObjectProvider<MeterRegistry> meters,
                            @Value("${quarry.events.live.queue-capacity:10000}") int capacity) {
        this(redis, meters.getIfAvailable(() -> Metrics.globalRegistry), capacity);
    }

    RedisJobEventBus(StringRedisTemplate redis, MeterRegistry meters, int capacity) {
        this.redis = redis;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.droppedFull = dropped(meters, "queue-full");
        this.droppedFailed = dropped(meters, "redis-failed");
        this.published = Counter.builder("quarry.events.live.published")
                .description("Live job events (their ids) published on Redis").register(meters);
        Gauge.builder("quarry.events.live.queued", queue, BlockingQueue::size)
                .description("Live job events waiting to be published on Redis").register(meters);
        this.sender = new Thread(this::sendUntilInterrupted, "redis-job-event-bus");
        sender.setDaemon(true);
        sender.start();
    }

    private static Counter dropped(MeterRegistry meters, String reason) {
        return Counter.builder("quarry.events.live.dropped").tag("reason", reason)
                .description("Live job events not published on Redis (SSE clients read them from job_events)")
                .register(meters);
    }

    /** Queues the event for Redis and returns at once; it is dropped if the queue is full. */
    public void publish(JobEvent event) {
        Message message = new Message(JobEventChannels.forJob(event.jobId()), Long.toString(event.id()));
        if (!queue.offer(message)) droppedFull.increment();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sender.interrupt();
        sender.join(TimeUnit.SECONDS.toMillis(5));
    }

    private void sendUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            Message next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            send(next);
        }
    }

    private void send(Message message) {
        try {
            redis.convertAndSend(message.channel(), message.body());
            published.increment();
            if (failing) log.info("live events reach Redis again");
            failing = false;
        } catch (RuntimeException e) {
            droppedFailed.increment();
            // Once per outage, not once per event: an outage would otherwise flood the log.
            if (!failing) log.warn("live events not published (Redis unavailable?): {}", e.toString());
            failing = true;
        }
    }

    private record Message(String channel, String body) {
    }
}
