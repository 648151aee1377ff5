package dev.quarry.worker.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.PrivateServer;
import dev.quarry.testing.TestServices;
import dev.quarry.worker.WorkerApplication;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose PostgreSQL goes away long enough for JobRunr OSS to stop its background job server, then
 * comes back: the watchdog reports the stop (health DOWN, gauge 0), restarts the server once the database
 * answers, and jobs run again. The database is a private cluster: the shared one must never stop.
 */
class JobServerWatchdogIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PrivateServer postgres;
    private static ConfigurableApplicationContext worker;

    @BeforeAll
    static void startWorker() {
        postgres = PrivateServer.postgres();
        Map<String, String> arguments = new LinkedHashMap<>(TestServices.springProperties());
        arguments.putAll(postgres.springProperties());
        arguments.putAll(Map.of("server.port", "0", "jobrunr.dashboard.enabled", "false",
                "jobrunr.background-job-server.worker-count", "2",
                "spring.datasource.hikari.connection-timeout", "2000",
                "quarry.watchdog.check-interval", "PT1S", "quarry.watchdog.initial-backoff", "PT1S",
                "quarry.watchdog.max-backoff", "PT4S", "management.endpoint.health.show-components", "always"));
        worker = new SpringApplicationBuilder(WorkerApplication.class).run(arguments.entrySet().stream()
                .map(a -> "--" + a.getKey() + "=" + a.getValue()).toArray(String[]::new));
    }

    @AfterAll
    static void stopAll() {
        try {
            if (worker != null) worker.close();
        } finally {
            if (postgres != null) postgres.close();
        }
    }

    @Test
    void the_job_server_that_jobrunr_stopped_during_an_outage_is_restarted_and_runs_jobs_again() throws Exception {
        BackgroundJobServer server = worker.getBean(BackgroundJobServer.class);
        JobServerWatchdog watchdog = worker.getBean(JobServerWatchdog.class);
        MeterRegistry meters = worker.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(30)).until(server::isRunning);
        assertThat(watchdog.health().getStatus()).isEqualTo(Status.UP);

        postgres.stop();
        // JobRunr gives up on its own after repeated storage errors: that is the state under test.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> !server.isRunning());
        assertThat(watchdog.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(meters.get("quarry.jobserver.running").gauge().value()).isZero();
        HttpResponse<String> notReady = readiness();
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(notReady.body()).at("/components/jobServerWatchdog/status").asText()).isEqualTo("DOWN");
        // Nothing to restart against while PostgreSQL is away: the watchdog probes, fails, and postpones.
        await().atMost(Duration.ofSeconds(30)).until(() -> watchdog.health().getDetails().containsKey("nextRestartAttempt"));
        Object firstAttempt = watchdog.health().getDetails().get("nextRestartAttempt");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !firstAttempt.equals(watchdog.health().getDetails().get("nextRestartAttempt")));
        assertThat(meters.get("quarry.jobserver.restarts").counter().count()).isZero();
        assertThat(server.isRunning()).isFalse();

        postgres.startAgain();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(server::isRunning);
        assertThat(meters.get("quarry.jobserver.restarts").counter().count()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> watchdog.health().getStatus().equals(Status.UP));
        assertThat(meters.get("quarry.jobserver.running").gauge().value()).isEqualTo(1);
        assertThat(readiness().statusCode()).isEqualTo(200);

        UUID jobId = submitIngest();
        PgJobStore jobs = worker.getBean(PgJobStore.class);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.find("acme", jobId).orElseThrow().status() == JobStatus.SUCCEEDED);
    }

    /** The worker's readiness over HTTP, with component details (which Boot hides by default). */
    private static HttpResponse<String> readiness() throws Exception {
        String port = worker.getEnvironment().getProperty("local.server.port");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static UUID submitIngest() {
        JdbcTemplate jdbc = worker.getBean(JdbcTemplate.class);
        UUID documentId = Documents.insert(jdbc, "acme",
                SampleFiles.text("after.txt", "text/plain", "Written after the database came back."));
        UUID jobId = UUID.randomUUID();
        worker.getBean(PgJobStore.class).create(new NewJob(jobId, "acme", JobType.INGEST, documentId, "k-" + jobId, null));
        worker.getBean(JobRequestScheduler.class).create(JobBuilder.aJob().withId(jobId).withAmountOfRetries(0)
                .withJobRequest(new IngestDocumentJob(jobId, documentId, "acme")));
        return jobId;
    }
}
