package dev.quarry.api.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.sse.*}.
 *
 * @param heartbeat       how often every open stream gets a {@code :} comment (proxies drop idle connections)
 * @param pollInterval    how often streams without a healthy Redis subscription read {@code job_events}
 * @param dbCheckInterval how often every stream reads {@code job_events} anyway, healthy Redis or not:
 *                        the bound on delay if a live message is ever lost unnoticed
 * @param reconnectTime   the {@code retry:} advice sent to clients
 * @param timeout         when an open stream is closed; clients reconnect with Last-Event-ID
 */
@ConfigurationProperties("quarry.sse")
record SseProperties(Duration heartbeat, Duration pollInterval, Duration dbCheckInterval, Duration reconnectTime,
                     Duration timeout) {

    SseProperties {
        heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        dbCheckInterval = dbCheckInterval == null ? Duration.ofSeconds(10) : dbCheckInterval;
        reconnectTime = reconnectTime == null ? Duration.ofSeconds(3) : reconnectTime;
        timeout = timeout == null ? Duration.ofMinutes(30) : timeout;
    }
}
