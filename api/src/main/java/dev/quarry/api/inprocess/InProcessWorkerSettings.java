package dev.quarry.api.inprocess;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * With {@code quarry.use-durable-worker=false}, gives the API the worker's own settings (quarry-worker.yml from
 * the worker module: JobRunr's background job server on, its poll interval and worker count, the watchdog,
 * pickup, recovery and recurring-job intervals) so that the jobs run here exactly as in a worker. They are added
 * with the lowest precedence: wherever the API sets a value itself (its name, port, dashboard off, readiness
 * group), the API's value wins, and so does anything a deployment sets.
 */
public class InProcessWorkerSettings implements EnvironmentPostProcessor {
    static final String FLAG = "quarry.use-durable-worker";
    private static final String WORKER_SETTINGS = "quarry-worker.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty(FLAG, Boolean.class, true)) return;
        for (PropertySource<?> source : load()) environment.getPropertySources().addLast(source);
    }

    private static List<PropertySource<?>> load() {
        try {
            return new YamlPropertySourceLoader().load("in-process worker (" + WORKER_SETTINGS + ")",
                    new ClassPathResource(WORKER_SETTINGS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the worker's settings " + WORKER_SETTINGS, e);
        }
    }
}
