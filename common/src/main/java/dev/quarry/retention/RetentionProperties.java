package dev.quarry.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.retention.*}: the default periods, which a tenant's or a collection's policy overrides
 * ({@code retention_policies}), the one period of audit entries, and the sweep's batch size. Documents count
 * from their last change ({@code updated_at}), jobs from when they finished, dead letters from when they were
 * opened, audit entries and tracked API requests ({@code api_requests}) from when they were recorded.
 */
@ConfigurationProperties("quarry.retention")
public record RetentionProperties(Duration documents, Duration jobs, Duration deadLetters, Duration audit, Duration apiRequests,
                                  int batch) {

    public RetentionProperties {
        if (documents == null) documents = Duration.ofDays(180);
        if (jobs == null) jobs = Duration.ofDays(90);
        if (deadLetters == null) deadLetters = Duration.ofDays(30);
        if (audit == null) audit = Duration.ofDays(365);
        if (apiRequests == null) apiRequests = Duration.ofDays(90);
        if (batch <= 0) batch = 500;
    }
}
