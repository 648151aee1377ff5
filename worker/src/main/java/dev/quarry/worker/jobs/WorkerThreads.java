package dev.quarry.worker.jobs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * How many jobs one worker process runs at once (JobRunr's {@code worker-count}), unless it is set outright:
 * {@code quarry.worker.threads} ({@code QUARRY_WORKER_THREADS}) if given, else {@code threads-per-core} (12)
 * times the cores this JVM sees. Jobs mostly wait (for the shared embedding call, for PostgreSQL), so far
 * more threads than cores keep the model busy (see EmbeddingBatcher): 24 on the 2-core machine the
 * benchmarks ran on. JobRunr's own default (8 per core) is not used because it does not say so in one place.
 * A count below 1 is refused at startup.
 * <p>
 * The connection pool follows the threads: {@code POOL_HEADROOM} connections more than the job threads, for
 * JobRunr's own work (its heartbeat, fetches and state changes share the pool) and the release, sweep and gauge
 * threads. A pool smaller than the threads once starved JobRunr's heartbeat under a burst of trivial jobs,
 * and JobRunr stopped its server (bench throughput). {@code QUARRY_DB_POOL_SIZE} or Spring's own property
 * still set it outright; the pool opens connections only as they are needed ({@code minimum-idle}).
 */
public class WorkerThreads implements EnvironmentPostProcessor {
    static final String WORKER_COUNT = "jobrunr.background-job-server.worker-count";
    static final int DEFAULT_THREADS_PER_CORE = 12;
    static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
    static final int POOL_HEADROOM = 8;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        int threads = environment.containsProperty(WORKER_COUNT)
                ? environment.getRequiredProperty(WORKER_COUNT, Integer.class)
                : threads(environment.getProperty("quarry.worker.threads", Integer.class),
                environment.getProperty("quarry.worker.threads-per-core", Integer.class, DEFAULT_THREADS_PER_CORE),
                Runtime.getRuntime().availableProcessors());
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(WORKER_COUNT, threads);
        defaults.put(POOL_SIZE, environment.getProperty("QUARRY_DB_POOL_SIZE", Integer.class, threads + POOL_HEADROOM));
        // Last: whatever else sets JobRunr's count or the pool outright still wins.
        environment.getPropertySources().addLast(new MapPropertySource("quarryWorkerThreads", defaults));
    }

    static int threads(Integer explicit, int perCore, int cores) {
        int threads = explicit != null ? explicit : perCore * cores;
        if (threads < 1) {
            throw new IllegalArgumentException("a worker needs at least one job thread, but quarry.worker.threads"
                    + (explicit != null ? " is " + explicit : "-per-core is " + perCore));
        }
        return threads;
    }
}
