package dev.quarry.api.analytics;

import dev.quarry.analytics.TrackedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RequestTrackerTest {

    @Test
    void the_writer_outlives_a_batch_whose_write_throws_an_error() {
        // The PostgreSQL driver threw an AssertionError from a batch on a connection the server had just shut down
        // (DatabaseOutageIT): the writer thread died, and no later request was recorded.
        List<TrackedRequest> written = new CopyOnWriteArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        RequestTracker tracker = new RequestTracker(batch -> {
            if (failed.compareAndSet(false, true)) throw new AssertionError("driver state after a shutdown");
            written.addAll(batch);
        }, new TrackingProperties(true, 100, 10, Duration.ofMillis(1)), new SimpleMeterRegistry());
        tracker.start();
        try {
            tracker.track(request("/api/v1/first"));
            await().atMost(Duration.ofSeconds(10)).untilTrue(failed);
            tracker.track(request("/api/v1/second"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(written).extracting(TrackedRequest::route).containsExactly("/api/v1/second"));
        } finally {
            tracker.stop();
        }
    }

    private static TrackedRequest request(String route) {
        return new TrackedRequest(Instant.now(), "acme", "someone", "GET", route, 200, 1000);
    }
}
