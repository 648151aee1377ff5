package dev.quarry.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code quarry.jobs.waiting{type,state}}: how many jobs wait for a worker, read from the {@code jobs} table, so
 * every process reports the same cluster-wide figure (what autoscaling and the queue-depth alert need, and
 * what no process's own counters could tell). One grouped query answers every type and state; it runs on a
 * background thread, started by a scrape, only when its answer is older than {@code quarry.metrics.waiting-refresh}, so many scrapers or
 * processes cost the database one small index read every few seconds. Every type and waiting state has its
 * series from the start, at 0 when nothing waits, so that alerts and dashboards never see a gap.
 * <p>
 * When the database does not answer, the last figures stay (and are logged); a process that never read
 * them reports NaN rather than a reassuring 0.
 */
@Component
class WaitingJobsGauge {
    private static final Logger log = LoggerFactory.getLogger(WaitingJobsGauge.class);

    private final JdbcClient jdbc;
    private final Duration refresh;
    private final Clock clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "jobs-waiting-gauge");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Map<JobType, Map<JobStatus, Long>> counts;
    private volatile Instant readAt = Instant.MIN;

    WaitingJobsGauge(JdbcClient jdbc, ObjectProvider<MeterRegistry> meters,
                     @Value("${quarry.metrics.waiting-refresh:PT5S}") Duration refresh) {
        this.jdbc = jdbc;
        this.refresh = refresh;
        this.clock = Clock.systemUTC();
        meters.ifAvailable(registry -> {
            for (JobType type : JobType.values()) {
                for (JobStatus state : JobStatus.WAITING) {
                    Gauge.builder("quarry.jobs.waiting", () -> waiting(type, state))
                            .description("Jobs waiting for a worker, cluster-wide (from the jobs table)")
                            .tag("type", type.tag()).tag("state", state.name().toLowerCase(Locale.ROOT))
                            .register(registry);
                }
            }
        });
    }

    /**
     * The count of {@code type} jobs in {@code state}, as last read. A stale answer starts one refresh on this
     * gauge's own thread and is returned at once: a scrape never waits for the database, so a database outage
     * cannot make the metrics endpoint hang (and Prometheus declare a healthy process down).
     */
    double waiting(JobType type, JobStatus state) {
        if (!clock.instant().isBefore(readAt.plus(refresh)) && refreshing.compareAndSet(false, true)) {
            refresher.execute(this::refresh);
        }
        Map<JobType, Map<JobStatus, Long>> known = counts;
        if (known == null) return Double.NaN;
        return known.getOrDefault(type, Map.of()).getOrDefault(state, 0L);
    }

    private void refresh() {
        try {
            counts = read();
        } catch (RuntimeException e) {
            log.warn("jobs waiting not read: {}", e.toString());
        } finally {
            // Also after a failure: a database that is down is tried again after the refresh interval, not hammered.
            readAt = clock.instant();
            refreshing.set(false);
        }
    }

    private static String knownTypes() {
        return Arrays.stream(JobType.values()).map(t -> "'" + t.name() + "'").collect(Collectors.joining(", "));
    }

    private Map<JobType, Map<JobStatus, Long>> read() {
        Map<JobType, Map<JobStatus, Long>> read = new EnumMap<>(JobType.class);
        // The partial index jobs_waiting covers exactly these statuses.
        // A type this release does not know (a newer release's, during a rollout) is left out, not an error.
        jdbc.sql("select type, status, count(*) from jobs where status in (" + JobStatus.sql(JobStatus.WAITING)
                        + ") and type in (" + knownTypes() + ") group by type, status")
                .query((rs, row) -> read.computeIfAbsent(JobType.valueOf(rs.getString(1)), t -> new HashMap<>())
                        .put(JobStatus.valueOf(rs.getString(2)), rs.getLong(3)))
                .list();
        return read;
    }
}
