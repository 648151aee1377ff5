package dev.quarry.worker.reindex;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.reindex.*}. {@code maxInFlight}: per-document jobs a reindex keeps queued or running at once
 * (it bounds the model's load and leaves worker threads for ingestion). {@code batchSize}: chunks per request
 * to the shared embedding batcher, which coalesces requests into model calls. {@code maxAttempts}:
 * per-document jobs for one document before the reindex fails. {@code documentTimeout}: how long a
 * per-document job may stay unfinished before it counts as lost (its worker died) and the document is
 * dispatched again; also how long its embedding may wait for vectors.
 */
@ConfigurationProperties("quarry.reindex")
record ReindexProperties(Integer maxInFlight, Integer batchSize, Integer maxAttempts, Duration pollInterval,
                         Duration progressInterval, Duration documentTimeout) {
    ReindexProperties {
        maxInFlight = maxInFlight == null ? 64 : maxInFlight;
        batchSize = batchSize == null ? 32 : batchSize;
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        pollInterval = pollInterval == null ? Duration.ofMillis(200) : pollInterval;
        progressInterval = progressInterval == null ? Duration.ofMillis(500) : progressInterval;
        documentTimeout = documentTimeout == null ? Duration.ofMinutes(10) : documentTimeout;
        if (maxInFlight < 1 || batchSize < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "quarry.reindex max-in-flight, batch-size and max-attempts must be >= 1");
        }
    }
}
