package dev.quarry.worker.ingest;

import dev.quarry.testing.TestWorkers;
import dev.quarry.events.JobEvent;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.testing.FakeOpenAiServer;
import dev.quarry.testing.FakeOpenAiServer.Fault;
import dev.quarry.testing.TestServices;
import dev.quarry.worker.WorkerApplication;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The worker with {@code provider=openai}, against a local server speaking the OpenAI API, jobs run by
 * JobRunr. This context's JobRunr keeps its own tables (a table prefix), so its server and the shared worker
 * context of the other tests never run each other's jobs; the dashboard is off because that one runs it.
 * <p>
 * In order: the breaker, once open, stays open for the rest of the class.
 */
@SpringBootTest(classes = WorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "jobrunr.database.table-prefix=openai_it_",
        "jobrunr.background-job-server.worker-count=2",
        "jobrunr.dashboard.enabled=false",
        "quarry.embedding.provider=openai",
        "quarry.embedding.openai.model=text-embedding-3-small",
        "quarry.embedding.openai.dimensions=384",
        "quarry.embedding.openai.retry.max-attempts=5",
        "quarry.embedding.openai.retry.initial-backoff=PT0.01S",
        "quarry.embedding.openai.breaker.sliding-window=2",
        "quarry.embedding.openai.breaker.minimum-calls=2",
        "quarry.embedding.openai.breaker.wait-in-open-state=PT10M"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
@AutoConfigureObservability(tracing = false)
class OpenAiIngestIT {
    private static final Duration PICKUP = Duration.ofSeconds(60);
    private static final FakeOpenAiServer openAi = FakeOpenAiServer.start();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
        registry.add("quarry.embedding.openai.api-key", openAi::apiKey);
        registry.add("quarry.embedding.openai.base-url", openAi::baseUrl);
    }

    @Autowired PgJobStore jobs;
    @Autowired PgJobEventStore events;
    @Autowired JdbcTemplate jdbc;
    @Autowired JobRequestScheduler scheduler;
    @Autowired StorageProvider jobRunr;
    @LocalServerPort int port;

    @AfterAll
    static void stop() {
        openAi.close();
    }

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
        openAi.reset();
    }

    @Test
    @Order(1)
    void a_document_is_embedded_by_openai_through_a_burst_of_429s_and_its_usage_is_recorded() {
        openAi.enqueue(Fault.tooManyRequests(Duration.ofMillis(100)), Fault.tooManyRequests(Duration.ofMillis(100)),
                Fault.tooManyRequests(Duration.ofMillis(100)), Fault.tooManyRequests(Duration.ofMillis(100)));
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("wings.txt", "text/plain", report()));
        UUID jobId = submit("acme", documentId);

        await().atMost(PICKUP).until(() -> jobs.find("acme", jobId).orElseThrow().status().isTerminal());
        assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(openAi.requests()).extracting(FakeOpenAiServer.RecordedRequest::status)
                .containsExactly(429, 429, 429, 429, 200);
        List<Map<String, Object>> chunks = jdbc.queryForList(
                "select text, token_count, embedding::text as vector, embedding_version from chunks where document_id = ?",
                documentId);
        assertThat(chunks).isNotEmpty();
        for (Map<String, Object> chunk : chunks) {
            assertThat(parse((String) chunk.get("vector")))
                    .containsExactly(FakeOpenAiServer.vectorFor((String) chunk.get("text"), 384), within(1e-6f));
            assertThat(chunk.get("embedding_version")).isEqualTo("text-embedding-3-small-384@1");
        }

        long tokens = chunks.stream().mapToLong(c -> (Integer) c.get("token_count")).sum();
        Map<String, Object> usage = jdbc.queryForMap("select * from embedding_usage where tenant_id = 'acme'");
        assertThat(usage).containsEntry("model", "text-embedding-3-small")
                .containsEntry("version", "text-embedding-3-small-384@1")
                .containsEntry("tokens", tokens).containsEntry("segments", (long) chunks.size()).containsEntry("calls", 1L);
        assertThat((BigDecimal) usage.get("cost_usd"))
                .isEqualByComparingTo(BigDecimal.valueOf(tokens).multiply(new BigDecimal("0.02")).divide(BigDecimal.valueOf(1_000_000)));
        assertThat(usage.get("day").toString()).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
    }

    @Test
    @Order(2)
    void while_the_breaker_is_open_jobs_are_rescheduled_after_its_wait_and_not_dead_lettered() throws Exception {
        openAi.failEveryRequestWith(Fault.serverError(500));
        assertThat(prometheus()).contains("resilience4j_circuitbreaker_state{name=\"openai\",state=\"closed\"} 1.0");
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("wings.txt", "text/plain", report()));
        Instant submitted = Instant.now();
        UUID jobId = submit("acme", documentId);

        // The first run's failed attempts open the breaker (a window of 2 calls); its next attempt is turned away.
        await().atMost(PICKUP).until(() -> jobRunr.getJobById(jobId).getState() == StateName.SCHEDULED);
        org.jobrunr.jobs.Job scheduled = jobRunr.getJobById(jobId);
        assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
        assertThat(Duration.between(submitted, scheduled.<ScheduledState>getJobState().getScheduledAt()))
                .isGreaterThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(prometheus()).contains("resilience4j_circuitbreaker_state{name=\"openai\",state=\"open\"} 1.0");
        JobEvent retrying = events.after(jobId, "acme", 0).stream().filter(e -> e.type().equals("retrying"))
                .findFirst().orElseThrow();
        assertThat(retrying.data()).containsEntry("errorClass", "EmbeddingProviderUnavailableException");

        // Run again now rather than in ten minutes: the breaker turns it away without a call, and again it waits.
        int callsWhileClosed = openAi.requestCount();
        scheduled.enqueue();
        jobRunr.save(scheduled);
        await().atMost(PICKUP).until(() -> jobRunr.getJobById(jobId).getJobStates().stream()
                .filter(FailedState.class::isInstance).count() == 2);
        await().atMost(PICKUP).until(() -> jobRunr.getJobById(jobId).getState() == StateName.SCHEDULED);
        assertThat(openAi.requestCount()).isEqualTo(callsWhileClosed);
        assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
        assertThat(events.after(jobId, "acme", 0)).extracting(JobEvent::type).contains("retrying")
                .doesNotContain("failed", "dead_lettered");
        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from embedding_usage", Integer.class)).isZero();
    }

    /** What Prometheus scrapes from this worker. */
    private String prometheus() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus"))
                        .header("Authorization", TestWorkers.operatorAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** As the API and the releaser do: the job row, released, then a JobRunr job with no JobRunr retries. */
    private UUID submit(String tenant, UUID documentId) {
        UUID jobId = UUID.randomUUID();
        jobs.create(new NewJob(jobId, tenant, JobType.INGEST, documentId, "k-" + jobId, null));
        // Marked as handed over, as a release would: otherwise the releaser of a cached worker context from
        // another test (it shares the jobs table, not this context's JobRunr tables) runs it too.
        jobs.markEnqueued(jobId);
        scheduler.create(JobBuilder.aJob().withId(jobId).withAmountOfRetries(0)
                .withJobRequest(new IngestDocumentJob(jobId, documentId, tenant)));
        return jobId;
    }

    private static float[] parse(String vector) {
        String[] parts = vector.substring(1, vector.length() - 1).split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) values[i] = Float.parseFloat(parts[i]);
        return values;
    }

    private static String report() {
        // Distinct sentences, so that no two chunks share a text (the cache embeds a repeated text once).
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 40; i++) text.append("Supersonic wing flutter was measured in run ").append(i).append(". ");
        text.append("\n\n");
        for (int i = 1; i <= 30; i++) text.append("Transition moved forward at Reynolds step ").append(i).append(". ");
        return text.toString();
    }
}
