package dev.quarry.worker.jobs;

import dev.quarry.embedding.openai.EmbeddingProviderUnavailableException;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobEventData;
import dev.quarry.events.JobEvent;
import dev.quarry.events.JobEventType;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.ReindexDocumentJob;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import dev.quarry.worker.testing.WorkerContext;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.exceptions.IllegalJobThreadStateException;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Quarry's retry policy on real JobRunr jobs: 1, 5, 25, 125 s ±20 %, then a dead letter. */
class QuarryRetryPolicyIT extends WorkerContext {
    /** quarry.embedding.openai.breaker.wait-in-open-state's default. */
    private static final Duration BREAKER_WAIT = Duration.ofSeconds(30);
    @Autowired QuarryRetryPolicy policy;
    @Autowired BackgroundJobServer server;
    @Autowired PgJobStore jobs;
    @Autowired JobLifecycle lifecycle;
    @Autowired PgJobEventStore events;
    @Autowired JdbcTemplate jdbc;

    private UUID jobId;
    private UUID documentId;
    private Job jobRunrJob;

    @BeforeEach
    void runningJob() {
        Databases.truncateQuarryTables(jdbc);
        documentId = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "words"));
        jobId = UUID.randomUUID();
        jobs.create(new NewJob(jobId, "acme", JobType.INGEST, documentId, "k", null));
        jobRunrJob = new Job(jobId, new JobDetails(new IngestDocumentJob(jobId, documentId, "acme")));
    }

    /** One run of the job that fails transiently, as the handler's exception reaches JobRunr. */
    private void failedRun() {
        failedRun(new SocketTimeoutException("read timed out"));
    }

    private void failedRun(Exception failure) {
        lifecycle.start(jobId, "acme", JobEventData.Started.NOTHING);
        jobRunrJob.startProcessingOn(server);
        jobRunrJob.failed("ingest failed", failure);
        policy.onStateElection(jobRunrJob, jobRunrJob.getJobState());
    }

    /** One run whose worker died: JobRunr's ProcessOrphanedJobsTask fails it like this. */
    private void orphanedRun() {
        lifecycle.start(jobId, "acme", JobEventData.Started.NOTHING);
        jobRunrJob.startProcessingOn(server);
        jobRunrJob.failed("Orphaned job", new IllegalJobThreadStateException("Job was too long in PROCESSING state"));
        policy.onStateElection(jobRunrJob, jobRunrJob.getJobState());
    }

    @Test
    void runs_orphaned_by_dead_workers_are_rerun_at_once_without_using_up_the_jobs_retries() {
        for (int loss = 1; loss <= 6; loss++) {
            orphanedRun();

            assertThat(jobRunrJob.getState()).isEqualTo(StateName.ENQUEUED);
            assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
        }
        // Six lost workers later, the job still has its four ordinary retries.
        for (int attempt = 1; attempt <= 4; attempt++) {
            failedRun();
            assertThat(jobRunrJob.getState()).isEqualTo(StateName.SCHEDULED);
            jobRunrJob.enqueue();
        }
        failedRun();
        assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void a_job_that_keeps_losing_its_worker_ends_as_a_dead_letter() {
        for (int loss = 1; loss <= QuarryRetryPolicy.WORKER_LOSSES; loss++) {
            orphanedRun();
            assertThat(jobRunrJob.getState()).isEqualTo(StateName.ENQUEUED);
        }
        orphanedRun();

        assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(jdbc.queryForMap("select classification, error_class from dead_letter_jobs where job_id = ?", jobId))
                .containsEntry("classification", "RETRIES_EXHAUSTED")
                .containsEntry("error_class", "IllegalJobThreadStateException");
    }

    /** As the embed step rethrows it: the batcher's future failed because the provider's breaker is open. */
    private static Exception breakerOpen() {
        return new ExecutionException(new EmbeddingProviderUnavailableException("breaker open", BREAKER_WAIT, null));
    }

    @Test
    void runs_turned_away_by_an_open_breaker_wait_for_it_and_never_use_up_the_retries() {
        for (int run = 1; run <= 8; run++) {
            Instant before = Instant.now();
            failedRun(breakerOpen());

            assertThat(jobRunrJob.getState()).isEqualTo(StateName.SCHEDULED);
            Instant next = jobRunrJob.<ScheduledState>getJobState().getScheduledAt();
            assertThat(Duration.between(before, next)).isBetween(BREAKER_WAIT, BREAKER_WAIT.multipliedBy(6).dividedBy(5).plusSeconds(1));
            assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
            JobEvent retrying = events.after(jobId, "acme", 0).stream().filter(e -> e.type().equals("retrying"))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(retrying.data()).containsEntry("attempt", run)
                    .containsEntry("errorClass", "EmbeddingProviderUnavailableException");
            jobRunrJob.enqueue();
        }
        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs where job_id = ?", Integer.class, jobId))
                .isZero();

        // The first failure that reached the provider is the first retry of the schedule (1 s), not the ninth.
        Instant before = Instant.now();
        failedRun();
        Instant next = jobRunrJob.<ScheduledState>getJobState().getScheduledAt();
        assertThat(Duration.between(before, next).toMillis()).isBetween(800L, 2200L);
    }

    @Test
    void transient_failures_are_retried_on_the_schedule_with_jitter_and_a_retrying_event() {
        long[] seconds = {1, 5, 25, 125};
        for (int attempt = 1; attempt <= 4; attempt++) {
            Instant before = Instant.now();
            failedRun();

            assertThat(jobRunrJob.getState()).isEqualTo(StateName.SCHEDULED);
            Instant next = jobRunrJob.<ScheduledState>getJobState().getScheduledAt();
            assertThat(Duration.between(before, next).toMillis())
                    .isBetween(seconds[attempt - 1] * 800, seconds[attempt - 1] * 1200 + 1000);
            assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
            JobEvent retrying = events.after(jobId, "acme", 0).stream().filter(e -> e.type().equals("retrying"))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(retrying.data()).containsEntry("attempt", attempt).containsEntry("nextRunAt", next.toString())
                    .containsEntry("errorClass", "SocketTimeoutException");
            jobRunrJob.enqueue();
        }
    }

    @Test
    void when_retries_run_out_the_job_is_dead_lettered_with_its_error_and_attempts() {
        for (int attempt = 1; attempt <= 4; attempt++) {
            failedRun();
            jobRunrJob.enqueue();
        }
        failedRun();

        assertThat(jobRunrJob.getState()).isEqualTo(StateName.FAILED);
        assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        Map<String, Object> entry = jdbc.queryForMap("select * from dead_letter_jobs where job_id = ?", jobId);
        assertThat(entry).containsEntry("classification", "RETRIES_EXHAUSTED").containsEntry("attempts", 5)
                .containsEntry("error_class", "SocketTimeoutException").containsEntry("message", "read timed out")
                .containsEntry("job_type", "INGEST").containsEntry("tenant_id", "acme");
        assertThat(entry.get("first_failed_at")).isNotNull();
        assertThat(Documents.status(jdbc, documentId)).isEqualTo("FAILED");
        // It used to emit 'failed': SSE clients never saw the dead_lettered event the README promises.
        assertThat(events.after(jobId, "acme", 0)).extracting(JobEvent::type).last().isEqualTo("dead_lettered");
    }

    @Test
    void a_repeated_dead_letter_decision_writes_one_entry() {
        for (int attempt = 1; attempt <= 4; attempt++) {
            failedRun();
            jobRunrJob.enqueue();
        }
        failedRun();
        policy.onStateElection(jobRunrJob, jobRunrJob.getJobState());

        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs where job_id = ?", Integer.class, jobId))
                .isEqualTo(1);
    }

    @Test
    void a_reindex_document_job_is_retried_on_its_schedule_and_then_dead_lettered() {
        // quarry.retry[reindex_document].delays is one 1 s retry in the worker tests' properties.
        UUID child = UUID.randomUUID();
        jobs.create(new NewJob(child, "acme", JobType.REINDEX_DOCUMENT, documentId, null, null));
        Job run = new Job(child, new JobDetails(new ReindexDocumentJob(child, "acme")));
        for (int attempt = 1; attempt <= 2; attempt++) {
            lifecycle.start(child, "acme", JobEventData.Started.NOTHING);
            run.startProcessingOn(server);
            run.failed("re-embedding failed", new SocketTimeoutException("read timed out"));
            policy.onStateElection(run, run.getJobState());
            if (attempt == 1) {
                assertThat(run.getState()).isEqualTo(StateName.SCHEDULED);
                assertThat(jobs.find("acme", child).orElseThrow().status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
                run.enqueue();
            }
        }

        assertThat(jobs.find("acme", child).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(jdbc.queryForMap("select job_type, classification, attempts from dead_letter_jobs where job_id = ?", child))
                .containsEntry("job_type", "REINDEX_DOCUMENT").containsEntry("classification", "RETRIES_EXHAUSTED")
                .containsEntry("attempts", 2);
        assertThat(Documents.status(jdbc, documentId)).as("only an ingest's document fails with its job").isNotEqualTo("FAILED");
    }
}
