package dev.quarry.worker.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code quarry.retry.<type>.delays} and {@code .jitter}, per job type tag (e.g. {@code ingest}); a type
 * without an entry gets {@link RetrySchedule#DEFAULT} (1 s, 5 s, 25 s, 125 s, ±20 %).
 */
@ConfigurationProperties("quarry")
record RetryProperties(Map<String, Policy> retry) {

    RetryProperties {
        retry = retry == null ? Map.of() : Map.copyOf(retry);
    }

    record Policy(List<Duration> delays, Double jitter) {
    }

    RetrySchedule forType(String type) {
        Policy policy = retry.get(type);
        if (policy == null) return RetrySchedule.DEFAULT;
        return new RetrySchedule(policy.delays() == null ? RetrySchedule.DEFAULT.delays() : policy.delays(),
                policy.jitter() == null ? RetrySchedule.DEFAULT.jitter() : policy.jitter());
    }
}
