package dev.quarry.api.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.analytics.tracking.*}: whether API requests are recorded ({@code QUARRY_ANALYTICS_TRACKING}), how
 * many may wait for the writer before new ones are dropped, the most rows one insert carries, and how long the
 * writer waits for more rows after the first before it writes (fewer, larger batches at low traffic).
 */
@ConfigurationProperties("quarry.analytics.tracking")
record TrackingProperties(Boolean enabled, int queueCapacity, int batchSize, Duration linger) {

    TrackingProperties {
        if (enabled == null) enabled = true;
        if (queueCapacity <= 0) queueCapacity = 10_000;
        if (batchSize <= 0) batchSize = 500;
        if (linger == null || linger.isNegative()) linger = Duration.ofMillis(200);
    }
}
