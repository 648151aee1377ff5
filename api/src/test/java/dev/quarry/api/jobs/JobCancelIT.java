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

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobCancelIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    PgJobStore jobs;
    @Autowired
    JobLifecycle lifecycle;

    private UUID uploadedJob() {
        HttpResponse<String> accepted = uploadText(token, "notes.txt", "cancel me before a worker sees me");
        assertThat(accepted.statusCode()).isEqualTo(202);
        return UUID.fromString(json(accepted).get("jobId").asText());
    }

    private HttpResponse<String> cancel(UUID job, String as) {
        return send(request("/api/v1/jobs/" + job + "/cancel", as).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private String jobRunrState(UUID job) {
        return jdbc.queryForObject("select state from jobrunr_jobs where id = ?", String.class, job.toString());
    }

    @Test
    void a_queued_job_is_cancelled_at_once_and_withdrawn_from_jobrunr() {
        UUID job = uploadedJob();
        // No worker runs here: the job is released to JobRunr after its commit and waits there.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select state from jobrunr_jobs where id = ?", String.class, job.toString())).containsExactly("ENQUEUED"));

        HttpResponse<String> response = cancel(job, token);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(jobRunrState(job)).isEqualTo("DELETED");
        assertThat(jdbc.queryForList("select type from job_events where job_id = ? order by id", String.class, job))
                .containsExactly("queued", "cancelled");
    }

    @Test
    void a_running_job_is_asked_to_stop_and_a_second_cancel_changes_nothing() {
        UUID job = uploadedJob();
        lifecycle.start(job, "acme", JobEventData.Started.NOTHING);

        JsonNode first = json(cancel(job, token));
        JsonNode second = json(cancel(job, token));

        assertThat(first.get("status").asText()).isEqualTo("CANCEL_REQUESTED");
        assertThat(second.get("status").asText()).isEqualTo("CANCEL_REQUESTED");
        assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ? and type = 'cancel_requested'",
                Integer.class, job)).isEqualTo(1);
    }

    @Test
    void a_finished_job_answers_409() {
        UUID job = uploadedJob();
        lifecycle.start(job, "acme", JobEventData.Started.NOTHING);
        lifecycle.succeed(job, "acme", JobEventData.Succeeded.NOTHING);

        assertProblem(cancel(job, token), 409, "job-finished");
        assertThat(jobs.find("acme", job).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void another_tenants_job_cannot_be_cancelled() {
        UUID job = uploadedJob();

        assertProblem(cancel(job, TestTokens.forTenant("intruder")), 404, "not-found");
        assertThat(jobs.find("acme", job).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }
}
