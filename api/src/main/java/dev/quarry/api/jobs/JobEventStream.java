package dev.quarry.api.jobs;

import dev.quarry.events.JobEvent;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.QueuePosition;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's event stream for one job.
 *
 * <p>{@code job_events} is the only source of what is sent: a live Redis message, a confirmed
 * subscription, the poller or the periodic check only trigger a catch-up that reads the events after the
 * last one sent. So the client gets every event once, in id order, whether Redis delivered, lost or
 * never carried the message. Per job, ids are assigned in commit order (each event's transaction
 * first updates the job row, which serializes them), so "after the last id sent" never skips one.
 */
final class JobEventStream {
    private static final Logger log = LoggerFactory.getLogger(JobEventStream.class);
    private final UUID jobId;
    private final String tenant;
    private final SseEmitter emitter;
    private final PgJobEventStore events;
    private final Executor executor;
    private final Runnable onClose;
    private final Counter eventsSent;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    private volatile long lastSentId;
    private volatile QueuePosition lastSentPosition;
    private volatile long lastDbCheckNanos;
    private volatile boolean closed;

    JobEventStream(UUID jobId, String tenant, long lastEventId, SseEmitter emitter, PgJobEventStore events,
                   Executor executor, Runnable onClose, Counter eventsSent) {
        this.eventsSent = eventsSent;
        this.jobId = jobId;
        this.tenant = tenant;
        this.lastSentId = lastEventId;
        this.emitter = emitter;
        this.events = events;
        this.executor = executor;
        this.onClose = onClose;
        this.lastDbCheckNanos = System.nanoTime();
    }

    UUID jobId() {
        return jobId;
    }

    boolean isClosed() {
        return closed;
    }

    long lastSentId() {
        return lastSentId;
    }

    boolean dbCheckedWithin(long nanos) {
        return System.nanoTime() - lastDbCheckNanos < nanos;
    }

    /** Queues a catch-up; wake-ups that arrive while one is queued coalesce into it. */
    void requestCatchUp() {
        if (closed || !catchUpQueued.compareAndSet(false, true)) return;
        try {
            executor.execute(() -> {
                catchUpQueued.set(false);
                catchUp();
            });
        } catch (RuntimeException e) {
            catchUpQueued.set(false); // executor shut down: the application is stopping
        }
    }

    /** Sends, in order, every event after the last one sent; completes the stream after a terminal one. */
    void catchUp() {
        lock.lock();
        try {
            if (closed) return;
            List<JobEvent> missed = events.after(jobId, tenant, lastSentId);
            lastDbCheckNanos = System.nanoTime();
            for (JobEvent event : missed) {
                emitter.send(SseEmitter.event()
                        .id(Long.toString(event.id()))
                        .name(event.type())
                        .data(event.data(), MediaType.APPLICATION_JSON));
                lastSentId = event.id();
                eventsSent.increment();
                if (event.isTerminal()) {
                    close();
                    emitter.complete();
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            gone(e);
        } catch (RuntimeException e) {
            // job_events unreachable: keep the stream; the poller will try again.
            log.warn("catch-up for job {} failed, will retry: {}", jobId, e.toString());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends the job's queue position if it changed since the last one sent. Not an event of {@code job_events}:
     * it carries no id, so a reconnecting client's Last-Event-ID still names the last real event.
     */
    void sendQueuePosition(QueuePosition position) {
        QueuePosition last = lastSentPosition;
        if (position == null || (last != null && last.position() == position.position())) return;
        lastSentPosition = position;
        send(SseEmitter.event().name("queue_position").data(position, MediaType.APPLICATION_JSON));
    }

    /** The first thing on the wire: reconnection advice, and it flushes the headers to the client. */
    void sendPreamble(long reconnectMillis) {
        send(SseEmitter.event().comment("job " + jobId).reconnectTime(reconnectMillis));
    }

    void heartbeat() {
        send(SseEmitter.event().comment("heartbeat"));
    }

    private void send(SseEmitter.SseEventBuilder event) {
        lock.lock();
        try {
            if (!closed) emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            gone(e);
        } finally {
            lock.unlock();
        }
    }

    /** The client went away (or the emitter timed out): stop sending and release the subscription. */
    private void gone(Exception e) {
        log.debug("event stream for job {} closed: {}", jobId, e.toString());
        close();
    }

    void close() {
        if (closed) return;
        closed = true;
        onClose.run();
    }
}
