package dev.quarry.bench;

import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * The reference for pickup and throughput (bench pickup, bench throughput): plain JobRunr OSS, as configured out of the box but at its
 * shortest poll interval (5 s, what Quarry's worker uses), with its own background job server in this process.
 * Its tables live in a schema of their own ({@value #SCHEMA}) in Quarry's database, so Quarry's workers never
 * see its no-op jobs; the schema is dropped afterwards. Public: JobRunr calls {@link #started} by reflection.
 */
public final class RawJobRunrPickup implements AutoCloseable {
    private static final String SCHEMA = "bench_raw_jobrunr";
    private static final Map<UUID, CompletableFuture<Long>> STARTS = new ConcurrentHashMap<>();
    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    private final JobScheduler scheduler;

    RawJobRunrPickup(String url, String user, String password) throws SQLException {
        this(url, user, password, 4);
    }

    /** {@code threads}: the background job server's workers (for throughput, as many as Quarry's worker has). */
    RawJobRunrPickup(String url, String user, String password, int threads) throws SQLException {
        dataSource.setURL(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        execute("drop schema if exists " + SCHEMA + " cascade", "create schema " + SCHEMA);
        scheduler = JobRunr.configure()
                .useStorageProvider(new PostgresStorageProvider(dataSource, SCHEMA + ".", DatabaseOptions.CREATE))
                .useBackgroundJobServer(usingStandardBackgroundJobServerConfiguration().andWorkerCount(threads).andPollIntervalInSeconds(5))
                .initialize().getJobScheduler();
    }

    /** What each no-op job does: note when it started. JobRunr calls it by name, from its own worker thread. */
    public static void started(UUID id) {
        CompletableFuture<Long> start = STARTS.get(id);
        if (start != null) start.complete(System.nanoTime());
    }

    /** {@code jobs} no-op jobs enqueued one after the other, each once the previous one started; ms enqueue → start. */
    List<Double> measure(int jobs) throws Exception {
        List<Double> waits = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            UUID id = UUID.randomUUID();
            CompletableFuture<Long> start = new CompletableFuture<>();
            STARTS.put(id, start);
            long enqueued = System.nanoTime();
            scheduler.enqueue(id, () -> RawJobRunrPickup.started(id));
            waits.add((start.get(60, TimeUnit.SECONDS) - enqueued) / 1e6);
            STARTS.remove(id);
        }
        return waits;
    }

    /** What each throughput job does: nothing. */
    public static void noOp() {
        // the job is the measured overhead
    }

    /** {@code jobs} no-op jobs enqueued at once; jobs per second from the first enqueue to the last SUCCEEDED. */
    double jobsPerSecond(int jobs) throws Exception {
        long begin = System.nanoTime();
        for (int i = 0; i < jobs; i++) scheduler.enqueue(() -> RawJobRunrPickup.noOp());
        long deadline = begin + TimeUnit.MINUTES.toNanos(10);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            while (true) {
                try (var rs = statement.executeQuery("select count(*) from " + SCHEMA + ".jobrunr_jobs where state = 'SUCCEEDED'")) {
                    rs.next();
                    if (rs.getInt(1) >= jobs) break;
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("raw JobRunr did not finish " + jobs + " jobs");
                Thread.sleep(10); // polling an external system from a benchmark driver, not a test
            }
        }
        return jobs / ((System.nanoTime() - begin) / 1e9);
    }

    @Override
    public void close() throws SQLException {
        JobRunr.destroy();
        execute("drop schema if exists " + SCHEMA + " cascade");
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) statement.execute(sql);
        }
    }
}
