package dev.quarry.api.analytics;

import dev.quarry.analytics.PgApiRequests;
import dev.quarry.analytics.TrackedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes tracked requests from the request threads and writes them in batches on one background thread. A request
 * thread only offers its row to a bounded queue, which never blocks: when the queue is full the row is dropped and
 * counted ({@code quarry.analytics.requests.dropped{reason=queue_full}}). The writer takes what is waiting (up to
 * {@code batch-size} rows, lingering up to {@code linger} for more after the first) and inserts it with one JDBC
 * batch; a failed insert drops that batch and counts it ({@code reason=write_failed}). So neither a slow nor a down
 * database ever fails or slows a request: it costs analytics rows, which the metric shows.
 */
class RequestTracker implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RequestTracker.class);
    private static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);
    private final BlockingQueue<TrackedRequest> queue;
    private final Rows rows;
    private final int batchSize;
    private final long lingerNanos;
    private final Counter written;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final DistributionSummary batches;
    private volatile boolean running;
    private Thread writer;
    private long lastFailureLog;

    /** Where a batch goes: {@link PgApiRequests#append} (a port, so that a test can make a write fail). */
    interface Rows {
        void append(List<TrackedRequest> batch);
    }

    RequestTracker(PgApiRequests rows, TrackingProperties properties, MeterRegistry meters) {
        this((Rows) rows::append, properties, meters);
    }

    RequestTracker(Rows rows, TrackingProperties properties, MeterRegistry meters) {
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.rows = rows;
        this.batchSize = properties.batchSize();
        this.lingerNanos = properties.linger().toNanos();
        this.written = Counter.builder("quarry.analytics.requests.written")
                .description("Tracked API requests written to api_requests").register(meters);
        this.droppedFull = dropped(meters, "queue_full");
        this.droppedFailed = dropped(meters, "write_failed");
        this.batches = DistributionSummary.builder("quarry.analytics.requests.batch")
                .description("Rows per insert of tracked API requests").register(meters);
        Gauge.builder("quarry.analytics.requests.queued", queue, BlockingQueue::size)
                .description("Tracked API requests waiting for the writer").register(meters);
    }

    private static Counter dropped(MeterRegistry meters, String reason) {
        return Counter.builder("quarry.analytics.requests.dropped").tag("reason", reason)
                .description("Tracked API requests not recorded").register(meters);
    }

    /** Never blocks: a full queue drops the row. */
    void track(TrackedRequest request) {
        if (!queue.offer(request)) droppedFull.increment();
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::writeWhileRunning, "quarry-request-tracking");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            writer.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Below the web server's phase (DEFAULT_PHASE - 2048): started before it takes requests, stopped after it
     * stopped taking them, so the last requests are written.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void writeWhileRunning() {
        List<TrackedRequest> batch = new ArrayList<>(batchSize);
        try {
            while (running || !queue.isEmpty()) {
                TrackedRequest first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                fill(batch);
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds what is waiting, and what arrives within the linger, until the batch is full. */
    private void fill(List<TrackedRequest> batch) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0) return;
            TrackedRequest next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) return;
            batch.add(next);
        }
    }

    private void write(List<TrackedRequest> batch) {
        try {
            rows.append(batch);
            written.increment(batch.size());
            batches.record(batch.size());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // An Error too (the driver's own assertion failed on a connection that PostgreSQL had just shut down):
            // the writer thread must outlive any one batch, or every later request would go unrecorded.
            droppedFailed.increment(batch.size());
            long now = System.nanoTime();
            if (lastFailureLog == 0 || now - lastFailureLog > FAILURE_LOG_EVERY.toNanos()) {
                lastFailureLog = now;
                log.warn("{} tracked API requests dropped: writing them failed ({}); further failures within {} are "
                        + "only counted (quarry.analytics.requests.dropped)", batch.size(), e.toString(), FAILURE_LOG_EVERY);
            }
        }
    }
}
