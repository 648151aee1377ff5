package dev.quarry.api.jobs;

import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobEventData;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.events.JobEventType;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JobStatusIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    PgJobStore jobs;
    @Autowired
    JobLifecycle lifecycle;

    @Test
    void a_job_reports_status_progress_attempts_and_timestamps() {
        JsonNode accepted = json(uploadText(token, "a.txt", "some text"));
        UUID jobId = UUID.fromString(accepted.path("jobId").asText());

        JsonNode queued = json(get("/api/v1/jobs/" + jobId, token));
        assertThat(queued.path("id").asText()).isEqualTo(jobId.toString());
        assertThat(queued.path("type").asText()).isEqualTo("ingest");
        assertThat(queued.path("status").asText()).isEqualTo("QUEUED");
        assertThat(queued.path("documentId").asText()).isEqualTo(accepted.path("documentId").asText());
        assertThat(queued.path("attempts").asInt()).isZero();
        assertThat(queued.path("startedAt").isNull()).isTrue();
        assertThat(Instant.parse(queued.path("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(queued.path("createdAt").asText()).endsWith("Z");

        lifecycle.start(jobId, "acme", JobEventData.Started.NOTHING);
        lifecycle.progress(jobId, "acme", new JobEventData.Progress("embed", 2, 8));
        JsonNode running = json(get("/api/v1/jobs/" + jobId, token));
        assertThat(running.path("status").asText()).isEqualTo("RUNNING");
        assertThat(running.path("currentStep").asText()).isEqualTo("embed");
        assertThat(running.path("progress")).isEqualTo(JSON.createObjectNode().put("done", 2).put("total", 8).put("percent", 25));
        assertThat(running.path("attempts").asInt()).isEqualTo(1);
        assertThat(running.path("startedAt").isTextual()).isTrue();

        lifecycle.fail(jobId, "acme", JobEventData.Failed.NOTHING, "corrupt file");
        JsonNode failed = json(get("/api/v1/jobs/" + jobId, token));
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").asText()).isEqualTo("corrupt file");
        assertThat(failed.path("finishedAt").isTextual()).isTrue();
    }
}
