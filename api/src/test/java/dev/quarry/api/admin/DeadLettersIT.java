package dev.quarry.api.admin;

import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.DeadLetterCause;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeadLettersIT extends ApiIntegrationTest {
    /** Sees every tenant. Most tests below go through it; the tenant admin's scope has tests of its own. */
    private final String operator = TestTokens.forTenant("ops", "operator");
    private final String acmeAdmin = TestTokens.forTenant("acme", "admin");
    @Autowired
    PgJobStore jobs;
    @Autowired
    JobLifecycle lifecycle;
    @Autowired
    StorageProvider jobRunr;

    /** A job that went through JobRunr and then dead-lettered, as the worker leaves it. */
    private UUID deadLetter(String tenant, String errorClass) {
        HttpResponse<String> accepted = uploadText(TestTokens.forTenant(tenant), "doc.txt", "text " + UUID.randomUUID());
        UUID job = UUID.fromString(json(accepted).get("jobId").asText());
        // Released to JobRunr by the release after the upload's commit (the window is never full here).
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from jobrunr_jobs where id = ?", Integer.class, job.toString()) == 1);
        lifecycle.start(job, tenant, JobEventData.Started.NOTHING);
        var deadLettered = lifecycle.deadLetter(job, tenant, new DeadLetterCause(errorClass, "boom", "root",
                DeadLetterCause.Classification.PERMANENT, 1));
        var jobRunrJob = jobRunr.getJobById(job);
        jobRunrJob.failed("boom", new IllegalStateException("boom"));
        jobRunr.save(jobRunrJob);
        return UUID.fromString((String) deadLettered.data().get("deadLetterId"));
    }

    private HttpResponse<String> post(String path, String body) {
        return post(path, body, operator);
    }

    private HttpResponse<String> post(String path, String body, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void only_admins_and_operators_see_dead_letters() {
        deadLetter("acme", "CorruptFile");

        assertThat(get("/api/v1/admin/dead-letters", acmeAdmin).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/admin/dead-letters", operator).statusCode()).isEqualTo(200);
        assertProblem(get("/api/v1/admin/dead-letters", TestTokens.forTenant("acme")), 403, "forbidden");
        assertProblem(get("/api/v1/admin/dead-letters", null), 401, "unauthorized");
    }

    @Test
    void the_list_filters_by_type_tenant_and_error_class_and_pages_with_a_cursor() {
        deadLetter("acme", "CorruptFile");
        deadLetter("acme", "Timeout");
        deadLetter("globex", "CorruptFile");

        assertThat(json(get("/api/v1/admin/dead-letters?tenant=acme", operator)).get("items")).hasSize(2);
        assertThat(json(get("/api/v1/admin/dead-letters?errorClass=CorruptFile", operator)).get("items")).hasSize(2);
        assertThat(json(get("/api/v1/admin/dead-letters?tenant=acme&errorClass=Timeout&type=INGEST", operator)).get("items")).hasSize(1);
        assertThat(json(get("/api/v1/admin/dead-letters?type=EXPORT", operator)).get("items")).isEmpty();

        List<String> seen = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = json(get("/api/v1/admin/dead-letters?limit=2&cursor=" + cursor, operator));
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void one_dead_letter_shows_its_error_and_attempts() {
        UUID id = deadLetter("acme", "CorruptFile");

        JsonNode entry = json(get("/api/v1/admin/dead-letters/" + id, operator));

        assertThat(entry.get("errorClass").asText()).isEqualTo("CorruptFile");
        assertThat(entry.get("classification").asText()).isEqualTo("PERMANENT");
        assertThat(entry.get("attempts").asInt()).isEqualTo(1);
        assertProblem(get("/api/v1/admin/dead-letters/" + UUID.randomUUID(), operator), 404, "not-found");
    }

    @Test
    void a_requeue_starts_a_fresh_cycle_in_jobrunr_and_keeps_the_jobs_history() {
        UUID id = deadLetter("acme", "Timeout");
        UUID job = UUID.fromString(json(get("/api/v1/admin/dead-letters/" + id, operator)).get("jobId").asText());

        HttpResponse<String> response = post("/api/v1/admin/dead-letters/" + id + "/requeue", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(jobs.find("acme", job).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(jobs.find("acme", job).orElseThrow().attempts()).isZero();
        // Released to JobRunr after the requeue's commit, by the release that commit asks for.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select state from jobrunr_jobs where id = ?", String.class, job.toString())).containsExactly("ENQUEUED"));
        assertThat(jdbc.queryForList("select type from job_events where job_id = ? order by id", String.class, job))
                .containsExactly("queued", "started", "dead_lettered", "queued");
        assertProblem(get("/api/v1/admin/dead-letters/" + id, operator), 404, "not-found");
        assertProblem(post("/api/v1/admin/dead-letters/" + id + "/requeue", null), 404, "not-found");
    }

    @Test
    void a_bulk_requeue_takes_only_what_the_filter_matches() {
        deadLetter("acme", "Timeout");
        deadLetter("acme", "Timeout");
        UUID other = deadLetter("acme", "CorruptFile");

        JsonNode result = json(post("/api/v1/admin/dead-letters/requeue", "{\"errorClass\":\"Timeout\"}"));

        assertThat(result.get("requeued").asInt()).isEqualTo(2);
        assertThat(json(get("/api/v1/admin/dead-letters", operator)).get("items")).extracting(i -> i.get("id").asText())
                .containsExactly(other.toString());
    }

    @Test
    void a_deleted_dead_letter_is_gone_and_its_job_stays_dead_lettered() {
        UUID id = deadLetter("acme", "CorruptFile");
        UUID job = UUID.fromString(json(get("/api/v1/admin/dead-letters/" + id, operator)).get("jobId").asText());

        HttpResponse<String> response = send(request("/api/v1/admin/dead-letters/" + id, operator).DELETE().build());

        assertThat(response.statusCode()).isEqualTo(204);
        assertProblem(get("/api/v1/admin/dead-letters/" + id, operator), 404, "not-found");
        assertThat(jobs.find("acme", job).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void a_tenant_admin_lists_and_reads_only_its_own_tenants_dead_letters() {
        UUID acme = deadLetter("acme", "Timeout");
        UUID globex = deadLetter("globex", "Timeout");

        assertThat(json(get("/api/v1/admin/dead-letters", acmeAdmin)).get("items"))
                .extracting(i -> i.get("id").asText()).containsExactly(acme.toString());
        assertThat(json(get("/api/v1/admin/dead-letters?tenant=acme", acmeAdmin)).get("items")).hasSize(1);
        assertProblem(get("/api/v1/admin/dead-letters?tenant=globex", acmeAdmin), 403, "forbidden");
        assertThat(json(get("/api/v1/admin/dead-letters/" + acme, acmeAdmin)).get("tenantId").asText()).isEqualTo("acme");
        assertProblem(get("/api/v1/admin/dead-letters/" + globex, acmeAdmin), 404, "not-found");
    }

    @Test
    void a_tenant_admin_cannot_requeue_or_delete_another_tenants_dead_letter() {
        UUID globex = deadLetter("globex", "Timeout");
        UUID globexJob = UUID.fromString(json(get("/api/v1/admin/dead-letters/" + globex, operator)).get("jobId").asText());

        assertProblem(post("/api/v1/admin/dead-letters/" + globex + "/requeue", null, acmeAdmin), 404, "not-found");
        assertProblem(send(request("/api/v1/admin/dead-letters/" + globex, acmeAdmin).DELETE().build()), 404, "not-found");

        assertThat(get("/api/v1/admin/dead-letters/" + globex, operator).statusCode()).isEqualTo(200);
        assertThat(jobs.find("globex", globexJob).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void a_tenant_admins_bulk_requeue_takes_only_its_own_tenants_dead_letters() {
        UUID acme = deadLetter("acme", "Timeout");
        UUID globex = deadLetter("globex", "Timeout");

        assertProblem(post("/api/v1/admin/dead-letters/requeue", "{\"tenant\":\"globex\"}", acmeAdmin), 403, "forbidden");
        JsonNode result = json(post("/api/v1/admin/dead-letters/requeue", null, acmeAdmin));

        assertThat(result.get("requeued").asInt()).isEqualTo(1);
        assertProblem(get("/api/v1/admin/dead-letters/" + acme, operator), 404, "not-found");
        assertThat(json(get("/api/v1/admin/dead-letters", operator)).get("items"))
                .extracting(i -> i.get("id").asText()).containsExactly(globex.toString());
    }

    @Test
    void a_tenant_admin_requeues_and_deletes_its_own_dead_letters() {
        UUID requeued = deadLetter("acme", "Timeout");
        UUID deleted = deadLetter("acme", "CorruptFile");

        assertThat(post("/api/v1/admin/dead-letters/" + requeued + "/requeue", null, acmeAdmin).statusCode()).isEqualTo(202);
        assertThat(send(request("/api/v1/admin/dead-letters/" + deleted, acmeAdmin).DELETE().build()).statusCode())
                .isEqualTo(204);
        assertThat(json(get("/api/v1/admin/dead-letters", operator)).get("items")).isEmpty();
    }

    @Test
    void an_operator_sees_and_changes_every_tenants_dead_letters_and_filters_by_tenant() {
        UUID acme = deadLetter("acme", "Timeout");
        UUID globex = deadLetter("globex", "Timeout");

        assertThat(json(get("/api/v1/admin/dead-letters", operator)).get("items")).hasSize(2);
        assertThat(json(get("/api/v1/admin/dead-letters?tenant=globex", operator)).get("items"))
                .extracting(i -> i.get("id").asText()).containsExactly(globex.toString());
        assertThat(post("/api/v1/admin/dead-letters/" + globex + "/requeue", null).statusCode()).isEqualTo(202);
        assertThat(send(request("/api/v1/admin/dead-letters/" + acme, operator).DELETE().build()).statusCode())
                .isEqualTo(204);
        assertThat(json(get("/api/v1/admin/dead-letters", operator)).get("items")).isEmpty();
    }
}
