package dev.quarry.worker.jobs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * How many jobs one worker process runs at once (JobRunr's {@code worker-count}), unless it is set outright:
 * {@code quarry.worker.threads} ({@code QUARRY_WORKER_THREADS}) if given, else {@code threads-per-core} (12)
 * times the cores this JVM sees. Jobs mostly wait (for the shared embedding call, for PostgreSQL), so far
 * more threads than cores keep the model busy (see EmbeddingBatcher): 24 on the 2-core machine the
 * benchmarks ran on. JobRunr's own default (8 per core) is not used because it does not say so in one place.
 * A count below 1 is refused at startup.
 */
public class WorkerThreads implements EnvironmentPostProcessor {
    static final String WORKER_COUNT = "jobrunr.background-job-server.worker-count";
    static final int DEFAULT_THREADS_PER_CORE = 12;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(WORKER_COUNT)) return;
        int threads = threads(environment.getProperty("quarry.worker.threads", Integer.class),
                environment.getProperty("quarry.worker.threads-per-core", Integer.class, DEFAULT_THREADS_PER_CORE),
                Runtime.getRuntime().availableProcessors());
        // Last: whatever else sets JobRunr's count outright still wins.
        environment.getPropertySources().addLast(new MapPropertySource("quarryWorkerThreads", Map.of(WORKER_COUNT, threads)));
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
