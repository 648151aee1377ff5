package dev.quarry.api.idempotency;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** {@code quarry.idempotency.*}: how long a key is remembered (24 h by default). */
@ConfigurationProperties("quarry.idempotency")
record IdempotencyProperties(Duration ttl) {

    IdempotencyProperties {
        ttl = ttl == null ? Duration.ofHours(24) : ttl;
    }
}
