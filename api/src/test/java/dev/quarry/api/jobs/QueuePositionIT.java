package dev.quarry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A queued job's place in line, in its status and as {@code queue_position} events on its stream. No worker runs here. */
class QueuePositionIT extends ApiIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    PgJobStore jobs;
    @Autowired
    JobLifecycle lifecycle;

    @Test
    void a_queued_job_shows_its_position_which_moves_up_as_jobs_ahead_start_and_none_once_it_runs() {
        Job first = queued("acme");
        queued("other-tenant"); // the line is shared: another tenant's older job is ahead too
        Job third = queued("acme");

        JsonNode status = json(get("/api/v1/jobs/" + third.id(), token));
        assertThat(status.path("status").asText()).isEqualTo("QUEUED");
        assertThat(status.path("queue").path("position").asInt()).isEqualTo(3);
        // No worker has run anything lately: nothing to estimate from.
        assertThat(status.path("queue").path("estimatedStartAt").isNull()).isTrue();

        lifecycle.start(first.id(), "acme", JobEventData.Started.NOTHING);
        assertThat(json(get("/api/v1/jobs/" + third.id(), token)).path("queue").path("position").asInt()).isEqualTo(2);
        assertThat(json(get("/api/v1/jobs/" + first.id(), token)).path("queue").isNull()).isTrue();
    }

    @Test
    void the_stream_of_a_queued_job_sends_its_position_as_it_moves_up_without_ids() throws Exception {
        Job first = queued("acme");
        Job second = queued("acme");
        Job third = queued("acme");
        try (SseClient client = open(third.id())) {
            await().atMost(WAIT).until(() -> positions(client).contains(3));

            lifecycle.start(first.id(), "acme", JobEventData.Started.NOTHING);
            await().atMost(WAIT).until(() -> positions(client).contains(2));
            lifecycle.start(second.id(), "acme", JobEventData.Started.NOTHING);
            await().atMost(WAIT).until(() -> positions(client).contains(1));

            assertThat(positions(client)).containsExactly(3, 2, 1); // only changes are sent
            assertThat(client.unlogged()).extracting(SseClient.Event::name).containsOnly("queue_position");
            assertThat(client.names()).containsExactly("queued"); // the job's own log is unchanged
        }
    }

    private Job queued(String tenant) {
        return jobs.create(new NewJob(UUID.randomUUID(), tenant, JobType.INGEST, null, null, null));
    }

    private SseClient open(UUID jobId) {
        HttpRequest request = request("/api/v1/jobs/" + jobId + "/events", token)
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(2)).GET().build();
        return SseClient.open(http, request);
    }

    private static List<Integer> positions(SseClient client) {
        return client.unlogged().stream().map(event -> {
            try {
                return JSON.readTree(event.data()).path("position").asInt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
