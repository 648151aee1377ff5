package dev.quarry.api.jobs;

import dev.quarry.events.JobEventChannels;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.PgJobQueue;
import dev.quarry.jobs.QueuePosition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * All open job event streams of this API instance, and the shared machinery that feeds them: one
 * scheduler for heartbeats, polling and catch-ups (no thread per connection), one Redis listener
 * container with one subscription per watched job, and a Redis health probe that switches streams to
 * polling {@code job_events} while Redis is unreachable.
 */
@Component
class JobEventStreams implements DisposableBean, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private final Set<JobEventStream> streams = ConcurrentHashMap.newKeySet();
    private final JobChannelSubscriptions subscriptions;
    private final PgJobEventStore events;
    private final PgJobQueue queue;
    private final RedisConnectionFactory redis;
    private final SseProperties properties;
    private final ThreadPoolTaskScheduler scheduler;
    private final Counter eventsSent;
    private volatile boolean redisHealthy = true;
    private volatile boolean running;

    JobEventStreams(RedisMessageListenerContainer container, PgJobEventStore events, PgJobQueue queue,
                    RedisConnectionFactory redis, SseProperties properties, MeterRegistry meters) {
        this.events = events;
        this.queue = queue;
        // Bound to this bean, whose set of streams is the process's: a gauge on a field cannot drift.
        Gauge.builder("quarry.sse.connections", streams, Set::size).description("SSE streams open")
                .register(meters);
        this.eventsSent = Counter.builder("quarry.sse.events.sent").description("Job events written to SSE streams")
                .register(meters);
        this.redis = redis;
        this.properties = properties;
        this.scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("quarry-sse-");
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.initialize();
        // Subscribing may block (up to the container's registration wait) when Redis is slow or down;
        // one thread keeps subscribe/unsubscribe of a channel in order without holding up requests.
        ExecutorService subscriber = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "quarry-sse-subscribe");
            thread.setDaemon(true);
            return thread;
        });
        this.subscriptions = new JobChannelSubscriptions(container, subscriber);
        scheduler.scheduleWithFixedDelay(this::heartbeat, properties.heartbeat());
        scheduler.scheduleWithFixedDelay(this::probeRedis, properties.pollInterval());
        scheduler.scheduleWithFixedDelay(this::poll, properties.pollInterval());
        // At most one a second per stream: this runs once a second (or slower) and sends only changes.
        scheduler.scheduleWithFixedDelay(this::sendQueuePositions, properties.pollInterval().compareTo(ONE_SECOND) < 0
                ? ONE_SECOND : properties.pollInterval());
    }

    /**
     * Opens a stream for {@code job} that first replays the events after {@code lastEventId}, then live
     * ones. The subscription is requested before the replay, so nothing falls between the two.
     */
    SseEmitter open(Job job, long lastEventId) {
        SseEmitter emitter = new SseEmitter(properties.timeout().toMillis());
        String channel = JobEventChannels.forJob(job.id());
        JobEventStream[] holder = new JobEventStream[1];
        JobEventStream stream = new JobEventStream(job.id(), job.tenantId(), lastEventId, emitter, events,
                scheduler, () -> {
                    streams.remove(holder[0]);
                    subscriptions.remove(channel, holder[0]);
                }, eventsSent);
        holder[0] = stream;
        emitter.onCompletion(stream::close);
        emitter.onTimeout(() -> {
            stream.close();
            emitter.complete();
        });
        emitter.onError(e -> stream.close());
        streams.add(stream);
        subscriptions.add(channel, stream);
        stream.sendPreamble(properties.reconnectTime().toMillis());
        stream.requestCatchUp();
        return emitter;
    }

    int openStreams() {
        return streams.size();
    }

    /** True when the job's channel is subscribed on a Redis that answers: its streams need no polling. */
    boolean live(UUID jobId) {
        return redisHealthy && subscriptions.confirmed(JobEventChannels.forJob(jobId));
    }

    private void heartbeat() {
        streams.forEach(JobEventStream::heartbeat);
    }

    private void poll() {
        long dbCheckNanos = properties.dbCheckInterval().toNanos();
        for (JobEventStream stream : streams) {
            if (!live(stream.jobId()) || !stream.dbCheckedWithin(dbCheckNanos)) stream.requestCatchUp();
        }
    }

    /** Each queued job's position, once per job however many streams watch it. */
    private void sendQueuePositions() {
        Map<UUID, Optional<QueuePosition>> positions = new HashMap<>();
        for (JobEventStream stream : streams) {
            try {
                positions.computeIfAbsent(stream.jobId(), queue::positionOf).ifPresent(stream::sendQueuePosition);
            } catch (RuntimeException e) {
                log.debug("queue position of job {} not read: {}", stream.jobId(), e.toString());
            }
        }
    }

    private void probeRedis() {
        if (streams.isEmpty()) return;
        boolean healthy;
        try (var connection = redis.getConnection()) {
            healthy = connection.ping() != null;
        } catch (RuntimeException e) {
            healthy = false;
        }
        if (healthy != redisHealthy) {
            log.warn(healthy ? "Redis is back: job event streams are live again"
                    : "Redis unreachable: job event streams fall back to polling job_events");
        }
        redisHealthy = healthy;
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Interrupts a subscription change stuck on a Redis that accepts connections and never answers (Lettuce
     * then waits for the connection without a bound). Spring stops this bean before the listener container
     * it depends on, whose stop would otherwise wait for that change forever.
     */
    @Override
    public void stop() {
        running = false;
        subscriptions.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        streams.forEach(JobEventStream::close);
        scheduler.shutdown();
        subscriptions.shutdown();
    }
}
