package dev.quarry.logging;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

import java.util.Set;

/**
 * Stops the api or the worker at startup when {@code quarry.log.format} (QUARRY_LOG_FORMAT) names no format
 * that logback-spring.xml knows. Logback alone would only warn about the missing
 * {@code logback-console-<format>.xml} and then log nothing at all. Runs before the logging system is
 * configured, so the failure is still printed (by Logback's default console configuration).
 */
public class LogFormatCheck implements EnvironmentPostProcessor {
    static final String PROPERTY = "quarry.log.format";
    static final Set<String> FORMATS = Set.of("plain", "json");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(PROPERTY, "plain");
        if (!FORMATS.contains(format)) {
            throw new IllegalStateException(PROPERTY + " (QUARRY_LOG_FORMAT) is '" + format
                    + "'; use plain (the default) or json");
        }
    }
}
