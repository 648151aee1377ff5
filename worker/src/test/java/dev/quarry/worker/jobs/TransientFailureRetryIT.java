package dev.quarry.worker.jobs;

import dev.quarry.events.JobEvent;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.ChunkStoreFailure;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import dev.quarry.worker.testing.WorkerContext;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A transient failure inside a real ingest, run by the real BackgroundJobServer: the job is retried by
 * Quarry's policy (so the policy is installed on the server, and JobRunr's own retries are off), announces
 * the retry, and then succeeds. PostgreSQL itself produces the failure: a trigger rejects the first store
 * with a serialization failure, as a busy database would.
 */
class TransientFailureRetryIT extends WorkerContext {
    @Autowired PgJobStore jobs;
    @Autowired PgJobEventStore events;
    @Autowired JobRequestScheduler scheduler;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void failTheFirstStore() {
        Databases.truncateQuarryTables(jdbc);
        ChunkStoreFailure.install(jdbc);
    }

    @AfterEach
    void removeTheTrigger() {
        ChunkStoreFailure.remove(jdbc);
    }

    @Test
    void a_transient_failure_is_retried_by_quarrys_policy_and_then_succeeds() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("note.txt", "text/plain",
                "Boundary layer transition on a flat plate at supersonic speed."));
        Job job = jobs.create(new NewJob(UUID.randomUUID(), "acme", JobType.INGEST, documentId, "k-retry", null));
        Instant submitted = Instant.now();
        scheduler.create(JobBuilder.aJob().withId(job.id()).withAmountOfRetries(0)
                .withJobRequest(new IngestDocumentJob(job.id(), documentId, "acme")));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find("acme", job.id()).orElseThrow().status().isTerminal());

        Job done = jobs.find("acme", job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        JobEvent retrying = events.after(job.id(), "acme", 0).stream()
                .filter(e -> e.type().equals("retrying")).findFirst().orElseThrow();
        assertThat(retrying.data()).containsEntry("attempt", 1).containsKey("errorClass");
        Instant nextRunAt = Instant.parse((String) retrying.data().get("nextRunAt"));
        // The first delay is 1 s ±20 %, counted from the failure, which comes after the submission.
        assertThat(nextRunAt).isAfter(submitted.plusMillis(800));
        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class, documentId))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs", Integer.class)).isZero();
    }
}
