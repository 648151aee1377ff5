package dev.quarry.worker.jobs;

import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobEventData;
import dev.quarry.events.JobEventType;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import dev.quarry.worker.testing.WorkerContext;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs that JobRunr shows PROCESSING on a worker: handed back when that worker has no database session left,
 * kept when it has. The in-process worker of this test context then runs the handed-back job.
 */
class LostWorkerSweeperIT extends WorkerContext {
    @Autowired LostWorkerSweeper sweeper;
    @Autowired StorageProvider storage;
    @Autowired PgJobStore jobs;
    @Autowired JobLifecycle lifecycle;
    @Autowired WorkerName workerName;
    @Autowired BackgroundJobServer server;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void the_workers_name_is_its_jobrunr_server_name_and_the_application_name_of_its_database_sessions() {
        assertThat(server.getConfiguration().getName()).isEqualTo(workerName.value());
        assertThat(jdbc.queryForObject("select application_name from pg_stat_activity where pid = pg_backend_pid()",
                String.class)).isEqualTo("quarry-worker:" + workerName.value());
    }

    @Test
    void a_job_left_running_by_a_worker_without_database_sessions_is_handed_back_and_finished() {
        UUID jobId = runningJob("ghost-worker");

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find("acme", jobId).orElseThrow().status() == JobStatus.SUCCEEDED);

        Job handedBack = storage.getJobById(jobId);
        FailedState failure = handedBack.getJobStates().stream().filter(FailedState.class::isInstance)
                .map(FailedState.class::cast).findFirst().orElseThrow();
        // Handed back by the sweeper, not orphaned by JobRunr's own (slower) server timeout.
        assertThat(failure.getExceptionMessage()).contains("ghost-worker has no database session left");
        List<Map<String, Object>> events = jdbc.queryForList(
                "select type, data->>'worker' as worker from job_events where job_id = ? order by id", jobId);
        assertThat(events).extracting(e -> e.get("type"))
                .containsSubsequence("started", "retrying", "started", "succeeded");
        assertThat(events).filteredOn(e -> e.get("type").equals("started")).extracting(e -> e.get("worker"))
                .containsExactly("ghost-worker", workerName.value());
    }

    @Test
    void a_job_of_a_worker_that_still_has_sessions_is_left_alone() {
        UUID jobId = runningJob(workerName.value());
        try {
            sweeper.sweep();

            Job job = storage.getJobById(jobId);
            assertThat(job.getState()).isEqualTo(StateName.PROCESSING);
            assertThat(job.<ProcessingState>getJobState().getServerName()).isEqualTo(workerName.value());
            assertThat(jobs.find("acme", jobId).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        } finally {
            storage.deletePermanently(jobId);
        }
    }

    /** A job that {@code worker} started 10 s ago and has not refreshed since, as JobRunr stores it. */
    private UUID runningJob(String worker) {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "A short note on wings."));
        UUID jobId = UUID.randomUUID();
        jobs.create(new NewJob(jobId, "acme", JobType.INGEST, documentId, "key-" + jobId, null));
        lifecycle.start(jobId, "acme", new JobEventData.Started(null, worker, null));
        Instant startedAt = Instant.now().minusSeconds(10);
        List<org.jobrunr.jobs.states.JobState> history = new ArrayList<>();
        history.add(new EnqueuedState(startedAt.minusMillis(100)));
        history.add(new ProcessingState(UUID.randomUUID(), worker, startedAt, startedAt));
        storage.save(new Job(jobId, 0, new JobDetails(new IngestDocumentJob(jobId, documentId, "acme")), history,
                new ConcurrentHashMap<>()));
        return jobId;
    }
}
