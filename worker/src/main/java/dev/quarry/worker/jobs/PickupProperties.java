package dev.quarry.worker.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.pickup.*}: the instant pickup ({@link PgWakeUpListener}). {@code follow-up} (50 ms) is when
 * the worker fetches once more after a wake-up, for the job a concurrent fetch of JobRunr's may have missed;
 * {@code reconnect-delay} (1 s) is the pause before listening again after the connection was lost.
 */
@ConfigurationProperties("quarry.pickup")
record PickupProperties(Duration followUp, Duration reconnectDelay) {

    PickupProperties {
        followUp = followUp == null ? Duration.ofMillis(50) : followUp;
        reconnectDelay = reconnectDelay == null ? Duration.ofSeconds(1) : reconnectDelay;
    }
}
