package dev.quarry.exports;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.export.*}. {@code ttl}: how long a file stays downloadable after it is complete (7 days by
 * default), after which the retention job deletes it. {@code partSize}: bytes per {@code export_parts} row
 * (1 MiB): large enough that a 1 GB file is a thousand inserts, small enough that writer and reader hold
 * one part at a time.
 */
@ConfigurationProperties("quarry.export")
public record ExportProperties(Duration ttl, Integer partSize) {

    public ExportProperties {
        ttl = ttl == null ? Duration.ofDays(7) : ttl;
        partSize = partSize == null ? 1 << 20 : partSize;
        if (partSize < 1024) throw new IllegalArgumentException("quarry.export.part-size must be at least 1024 bytes");
    }
}
