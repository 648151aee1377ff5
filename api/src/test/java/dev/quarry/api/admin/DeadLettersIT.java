package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.events.JobEventType;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersIT extends ApiIntegrationTest {
    private final String admin = TestTokens.forTenant("ops", "admin");
    @Autowired
    PgJobStore jobs;
    @Autowired
    StorageProvider jobRunr;

    /** A job that went through JobRunr and then dead-lettered, as the worker leaves it. */
    private UUID deadLetter(String tenant, String errorClass) {
        HttpResponse<String> accepted = uploadText(TestTokens.forTenant(tenant), "doc.txt", "text " + UUID.randomUUID());
        UUID job = UUID.fromString(json(accepted).get("jobId").asText());
        jobs.transition(job, tenant, JobStatus.RUNNING, JobEventType.STARTED, Map.of(), null);
        jobs.transition(job, tenant, JobStatus.DEAD_LETTERED, JobEventType.DEAD_LETTERED, Map.of(), "boom");
        var jobRunrJob = jobRunr.getJobById(job);
        jobRunrJob.failed("boom", new IllegalStateException("boom"));
        jobRunr.save(jobRunrJob);
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into dead_letter_jobs (id, job_id, tenant_id, job_type, payload, error_class, message, root_cause,
                    classification, attempts, first_failed_at, last_failed_at)
                values (?, ?, ?, 'INGEST', '{"documentId":"x"}'::jsonb, ?, 'boom', 'root', 'PERMANENT', 1, now(), now())""",
                id, job, tenant, errorClass);
        return id;
    }

    private HttpResponse<String> post(String path, String body) {
        return send(request(path, admin).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void only_admins_see_dead_letters() {
        deadLetter("acme", "CorruptFile");

        assertProblem(get("/api/v1/admin/dead-letters", TestTokens.forTenant("acme")), 403, "forbidden");
        assertProblem(get("/api/v1/admin/dead-letters", null), 401, "unauthorized");
    }

    @Test
    void the_list_filters_by_type_tenant_and_error_class_and_pages_with_a_cursor() {
        deadLetter("acme", "CorruptFile");
        deadLetter("acme", "Timeout");
        deadLetter("globex", "CorruptFile");

        assertThat(json(get("/api/v1/admin/dead-letters?tenant=acme", admin)).get("items")).hasSize(2);
        assertThat(json(get("/api/v1/admin/dead-letters?errorClass=CorruptFile", admin)).get("items")).hasSize(2);
        assertThat(json(get("/api/v1/admin/dead-letters?tenant=acme&errorClass=Timeout&type=INGEST", admin)).get("items")).hasSize(1);
        assertThat(json(get("/api/v1/admin/dead-letters?type=EXPORT", admin)).get("items")).isEmpty();

        List<String> seen = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = json(get("/api/v1/admin/dead-letters?limit=2&cursor=" + cursor, admin));
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void one_dead_letter_shows_its_error_and_attempts() {
        UUID id = deadLetter("acme", "CorruptFile");

        JsonNode entry = json(get("/api/v1/admin/dead-letters/" + id, admin));

        assertThat(entry.get("errorClass").asText()).isEqualTo("CorruptFile");
        assertThat(entry.get("classification").asText()).isEqualTo("PERMANENT");
        assertThat(entry.get("attempts").asInt()).isEqualTo(1);
        assertProblem(get("/api/v1/admin/dead-letters/" + UUID.randomUUID(), admin), 404, "not-found");
    }

    @Test
    void a_requeue_starts_a_fresh_cycle_in_jobrunr_and_keeps_the_jobs_history() {
        UUID id = deadLetter("acme", "Timeout");
        UUID job = UUID.fromString(json(get("/api/v1/admin/dead-letters/" + id, admin)).get("jobId").asText());

        HttpResponse<String> response = post("/api/v1/admin/dead-letters/" + id + "/requeue", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(jobs.find("acme", job).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(jobs.find("acme", job).orElseThrow().attempts()).isZero();
        assertThat(jdbc.queryForObject("select state from jobrunr_jobs where id = ?", String.class, job.toString()))
                .isEqualTo("ENQUEUED");
        assertThat(jdbc.queryForList("select type from job_events where job_id = ? order by id", String.class, job))
                .containsExactly("queued", "started", "dead_lettered", "queued");
        assertProblem(get("/api/v1/admin/dead-letters/" + id, admin), 404, "not-found");
        assertProblem(post("/api/v1/admin/dead-letters/" + id + "/requeue", null), 404, "not-found");
    }

    @Test
    void a_bulk_requeue_takes_only_what_the_filter_matches() {
        deadLetter("acme", "Timeout");
        deadLetter("acme", "Timeout");
        UUID other = deadLetter("acme", "CorruptFile");

        JsonNode result = json(post("/api/v1/admin/dead-letters/requeue", "{\"errorClass\":\"Timeout\"}"));

        assertThat(result.get("requeued").asInt()).isEqualTo(2);
        assertThat(json(get("/api/v1/admin/dead-letters", admin)).get("items")).extracting(i -> i.get("id").asText())
                .containsExactly(other.toString());
    }

    @Test
    void a_deleted_dead_letter_is_gone_and_its_job_stays_dead_lettered() {
        UUID id = deadLetter("acme", "CorruptFile");
        UUID job = UUID.fromString(json(get("/api/v1/admin/dead-letters/" + id, admin)).get("jobId").asText());

        HttpResponse<String> response = send(request("/api/v1/admin/dead-letters/" + id, admin).DELETE().build());

        assertThat(response.statusCode()).isEqualTo(204);
        assertProblem(get("/api/v1/admin/dead-letters/" + id, admin), 404, "not-found");
        assertThat(jobs.find("acme", job).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }
}
