package dev.quarry.api.jobs;

import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobEventData;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import dev.quarry.events.JobEventType;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-Sent Events with Redis up. The periodic database check is pushed out of the way (1 h), so live
 * delivery here can only come through Redis pub/sub.
 */
@TestPropertySource(properties = {"quarry.sse.heartbeat=PT1S", "quarry.sse.db-check-interval=PT1H"})
class JobEventsIT extends ApiIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    PgJobStore jobs;
    @Autowired
    JobLifecycle lifecycle;
    @Autowired
    JobEventStreams streams;
    @Autowired
    MeterRegistry meters;

    private Job newJob() {
        return jobs.create(new NewJob(UUID.randomUUID(), "acme", JobType.INGEST, null, null, null));
    }

    private SseClient open(UUID jobId, String lastEventId) {
        HttpRequest.Builder request = request("/api/v1/jobs/" + jobId + "/events", token)
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(2));
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        return SseClient.open(http, request.GET().build());
    }

    private void start(UUID jobId) {
        lifecycle.start(jobId, "acme", JobEventData.Started.NOTHING);
    }

    private void succeed(UUID jobId) {
        lifecycle.succeed(jobId, "acme", JobEventData.Succeeded.NOTHING);
    }

    @Test
    void live_events_arrive_in_order_and_the_stream_closes_after_the_terminal_event() throws Exception {
        Job job = newJob();
        double sentBefore = meters.get("quarry.sse.events.sent").counter().count();
        try (SseClient client = open(job.id(), null)) {
            assertThat(client.response().statusCode()).isEqualTo(200);
            assertThat(client.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(client.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");
            await().atMost(WAIT).until(() -> client.names().equals(List.of("queued")));
            await().atMost(WAIT).until(() -> streams.live(job.id()));
            assertThat(meters.get("quarry.sse.connections").gauge().value()).isEqualTo(streams.openStreams()).isPositive();

            start(job.id());
            lifecycle.progress(job.id(), "acme", new JobEventData.Progress("chunk", 1, 1));
            lifecycle.progress(job.id(), "acme", new JobEventData.Progress("embed", 32, 64));
            lifecycle.progress(job.id(), "acme", new JobEventData.Progress("embed", 64, 64));
            succeed(job.id());

            await().atMost(WAIT).until(client::ended);
            assertThat(client.names()).containsExactly("queued", "started", "progress", "progress", "progress",
                    "succeeded");
            List<Long> ids = client.events().stream().map(SseClient.Event::id).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
            JsonNode progress = JSON.readTree(client.events().get(3).data());
            assertThat(progress.path("step").asText()).isEqualTo("embed");
            assertThat(progress.path("done").asInt()).isEqualTo(32);
            assertThat(progress.path("total").asInt()).isEqualTo(64);
            assertThat(progress.path("percent").asInt()).isEqualTo(50);
            assertThat(client.retries()).contains("3000");
            assertThat(meters.get("quarry.sse.events.sent").counter().count() - sentBefore).isGreaterThanOrEqualTo(6);
        }
        await().atMost(WAIT).until(() -> streams.openStreams() == 0);
    }

    @Test
    void a_client_that_reconnects_with_last_event_id_gets_exactly_the_events_it_missed() {
        Job job = newJob();
        long lastSeen;
        try (SseClient first = open(job.id(), null)) {
            await().atMost(WAIT).until(() -> streams.live(job.id()));
            start(job.id());
            await().atMost(WAIT).until(() -> first.names().equals(List.of("queued", "started")));
            lastSeen = first.events().get(1).id();
        }
        // Missed while disconnected:
        lifecycle.progress(job.id(), "acme", new JobEventData.Progress("extract", 1, 1));
        lifecycle.progress(job.id(), "acme", new JobEventData.Progress("embed", 1, 2));

        try (SseClient second = open(job.id(), Long.toString(lastSeen))) {
            await().atMost(WAIT).until(() -> second.names().equals(List.of("progress", "progress")));
            await().atMost(WAIT).until(() -> streams.live(job.id()));
            succeed(job.id());
            await().atMost(WAIT).until(second::ended);
            assertThat(second.names()).containsExactly("progress", "progress", "succeeded");
            assertThat(second.events().get(0).id()).isGreaterThan(lastSeen);
        }
    }

    @Test
    void a_finished_job_replays_after_the_given_id_and_closes_and_the_query_parameter_works_too() {
        Job job = newJob();
        start(job.id());
        lifecycle.progress(job.id(), "acme", new JobEventData.Progress("embed", 1, 1));
        succeed(job.id());

        try (SseClient all = open(job.id(), null)) {
            await().atMost(WAIT).until(all::ended);
            assertThat(all.names()).containsExactly("queued", "started", "progress", "succeeded");
            long startedId = all.events().get(1).id();

            SseClient rest = SseClient.open(http, request("/api/v1/jobs/" + job.id() + "/events?lastEventId=" + startedId,
                    token).GET().build());
            await().atMost(WAIT).until(rest::ended);
            assertThat(rest.names()).containsExactly("progress", "succeeded");
        }
    }

    @Test
    void an_idle_stream_gets_heartbeat_comments() {
        Job job = newJob();
        try (SseClient client = open(job.id(), null)) {
            await().atMost(WAIT).until(() -> client.comments().contains("heartbeat"));
            assertThat(client.ended()).isFalse();
        }
    }

    @Test
    void a_malformed_last_event_id_is_a_problem() {
        Job job = newJob();

        assertProblem(send(request("/api/v1/jobs/" + job.id() + "/events", token).header("Last-Event-ID", "abc")
                .GET().build()), 400, "invalid-parameter");
    }
}
