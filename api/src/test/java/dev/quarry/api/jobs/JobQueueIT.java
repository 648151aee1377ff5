package dev.quarry.api.jobs;

import dev.quarry.jobs.JobType;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quarry's queue in front of two real worker processes (two job threads each): per-type limits hold across
 * the cluster, a tenant's first job is not held back by another tenant's backlog, a more urgent job overtakes
 * waiting ones, and the bad inputs of priorities and limits are refused with their problem types.
 */
class JobQueueIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension LEFT = new WorkerProcessExtension("queue-left", Map.of("quarry.worker.threads", "2"));
    @RegisterExtension
    static final WorkerProcessExtension RIGHT = new WorkerProcessExtension("queue-right", Map.of("quarry.worker.threads", "2"));
    private static final Duration DONE = Duration.ofMinutes(3);
    private final String operator = TestTokens.forTenant("ops", "operator");

    @AfterEach
    void liftLimits() {
        send(request("/api/v1/admin/job-types/ingest/concurrency", operator).DELETE().build());
    }

    @Test
    void a_types_limit_holds_across_two_workers() {
        limitIngest(1);
        String token = TestTokens.forTenant("limited");
        for (int i = 0; i < 6; i++) upload(token, i, null);

        awaitAllSucceeded("limited", 6);

        // With four job threads free, the six would overlap; with the limit, each starts after the last ended.
        assertThat(jdbc.queryForObject("""
                select count(*) from jobs a join jobs b on a.id < b.id
                where a.tenant_id = 'limited' and b.tenant_id = 'limited'
                  and a.started_at < b.finished_at and b.started_at < a.finished_at""", Integer.class)).isZero();
        assertThat(jdbc.queryForList("select distinct data->>'worker' from job_events "
                + "where tenant_id = 'limited' and type = 'started'", String.class)).isNotEmpty();
    }

    @Test
    void another_tenants_single_job_starts_before_one_tenants_backlog_drains() {
        limitIngest(1); // one ingest at a time, so the backlog waits in Quarry's queue and order is visible
        uploadAtOnce(TestTokens.forTenant("flood"), 12, null);
        UUID single = upload(TestTokens.forTenant("single"), 0, null);

        awaitAllSucceeded("flood", 12);
        awaitAllSucceeded("single", 1);

        assertThat(startedAfter(single, "flood")).as("flood's jobs that started after single's").isGreaterThanOrEqualTo(5);
    }

    @Test
    void a_job_at_the_default_priority_overtakes_waiting_jobs_its_user_lowered() {
        limitIngest(1);
        String token = TestTokens.forTenant("prio");
        uploadAtOnce(token, 10, 10);
        UUID urgent = upload(token, 99, null);

        awaitAllSucceeded("prio", 11);

        assertThat(jdbc.queryForObject("select priority from jobs where id = ?", Integer.class, urgent)).isEqualTo(80);
        assertThat(json(get("/api/v1/jobs/" + urgent, token)).path("priority").asInt()).isEqualTo(80);
        UUID lowered = jdbc.queryForObject("select id from jobs where tenant_id = 'prio' and priority = 10 limit 1", UUID.class);
        assertThat(json(get("/api/v1/jobs/" + lowered, token)).path("priority").asInt()).isEqualTo(10);
        assertThat(startedAfter(urgent, "prio")).as("low-priority jobs that started after the urgent one")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void priorities_and_limits_outside_what_is_allowed_are_refused_with_their_problem_types() {
        Map<String, Integer> before = rowCounts();
        assertProblem(uploadResponse(TestTokens.forTenant("acme"), 0, 90), 403, "priority-not-allowed");
        assertProblem(uploadResponse(TestTokens.forTenant("acme", "tenant-admin"), 0, 101), 400, "invalid-priority");
        assertProblem(uploadResponse(TestTokens.forTenant("acme"), 0, -1), 400, "invalid-priority");
        assertThat(rowCounts()).isEqualTo(before);

        assertProblem(putLimit("no-such-type", "{\"maxRunning\":2}"), 400, "unknown-job-type");
        assertProblem(putLimit("export", "{\"maxRunning\":0}"), 400, "invalid-concurrency-limit");
        assertProblem(putLimit("export", "{\"maxRunning\":-3}"), 400, "invalid-concurrency-limit");
        assertProblem(putLimit("export", "{}"), 400, "invalid-concurrency-limit");
        assertThat(jdbc.queryForObject("select count(*) from job_type_limits", Integer.class)).isZero();

        HttpResponse<String> admin = uploadResponse(TestTokens.forTenant("acme", "tenant-admin"), 1, 95);
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(202);
        assertThat(jdbc.queryForObject("select priority from jobs where id = ?", Integer.class,
                UUID.fromString(json(admin).path("jobId").asText()))).isEqualTo(95);
        HttpResponse<String> lowered = uploadResponse(TestTokens.forTenant("acme"), 2, 5);
        assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(202);

        assertThat(putLimit("export", "{\"maxRunning\":3}").statusCode()).isEqualTo(200);
        assertThat(json(get("/api/v1/admin/job-types", operator)).findValues("type")).hasSize(JobType.values().length);
        assertThat(json(get("/api/v1/admin/job-types", operator)).toString())
                .contains("{\"type\":\"export\",\"defaultPriority\":30,\"maxRunning\":3,\"source\":\"runtime\"}");
        send(request("/api/v1/admin/job-types/export/concurrency", operator).DELETE().build());
    }

    private void limitIngest(int maxRunning) {
        HttpResponse<String> response = putLimit("ingest", "{\"maxRunning\":" + maxRunning + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> putLimit(String type, String body) {
        return send(request("/api/v1/admin/job-types/" + type + "/concurrency", operator)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private UUID upload(String token, int i, Integer priority) {
        HttpResponse<String> response = uploadResponse(token, i, priority);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(json(response).path("jobId").asText());
    }

    /** {@code count} uploads sent together, so that a backlog builds up however fast the jobs run. */
    private void uploadAtOnce(String token, int count, Integer priority) {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            List<Future<UUID>> uploads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                uploads.add(clients.submit(() -> upload(token, n, priority)));
            }
            for (Future<UUID> upload : uploads) upload.get();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            clients.shutdownNow();
        }
    }

    private HttpResponse<String> uploadResponse(String token, int i, Integer priority) {
        StringBuilder text = new StringBuilder("Queue note " + i + " " + UUID.randomUUID() + ". ");
        // Long enough to take a few embedding batches, so that the jobs ahead are still running when others arrive.
        for (int s = 0; s < 40; s++) text.append("Sentence ").append(s).append(" says the pump station logs its pressure hourly. ");
        MultipartBody body = new MultipartBody().file("file", "note-" + i + ".txt", "text/plain",
                text.toString().getBytes(StandardCharsets.UTF_8));
        return send(request("/api/v1/documents" + (priority == null ? "" : "?priority=" + priority), token)
                .header("Content-Type", body.contentType()).header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build());
    }

    private void awaitAllSucceeded(String tenant, int count) {
        await().atMost(DONE).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
                "select count(*) from jobs where tenant_id = ? and status = 'SUCCEEDED'", Integer.class, tenant) == count);
    }

    /** How many of {@code tenant}'s jobs started after {@code job} did. */
    private int startedAfter(UUID job, String tenant) {
        Timestamp started = jdbc.queryForObject("select started_at from jobs where id = ?", Timestamp.class, job);
        List<Timestamp> others = new ArrayList<>(jdbc.queryForList(
                "select started_at from jobs where tenant_id = ? and id <> ?", Timestamp.class, tenant, job));
        return (int) others.stream().filter(other -> other.after(started)).count();
    }
}
