package dev.quarry.worker.jobs;

import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.TestServices;
import dev.quarry.worker.WorkerApplication;
import dev.quarry.worker.testing.Documents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instant pickup, proven by state: the worker's JobRunr polls and its outbox sweeper releases only every 10
 * minutes here, so a job that starts within seconds of its commit was released by the release after commit
 * and started by the wake-up (PostgreSQL NOTIFY → {@link PgWakeUpListener} → JobRunr's fetch), not by the poll. Its own context: no other test should wait for a 10-minute poll.
 */
class InstantPickupIT {
    /** Far below the poll interval, far above any wake-up path on a loaded machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);
    private static ConfigurableApplicationContext worker;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startWorkerThatHardlyPolls() {
        Map<String, String> arguments = new LinkedHashMap<>(TestServices.springProperties());
        arguments.putAll(Map.of("server.port", "0",
                "jobrunr.background-job-server.poll-interval-in-seconds", "600",
                "jobrunr.background-job-server.worker-count", "4",
                "quarry.pickup.reconnect-delay", "PT0.2S",
                // Nor does the sweep release: a job starts promptly only through the release after its commit.
                "quarry.outbox.sweep-interval", "PT10M"));
        worker = new SpringApplicationBuilder(WorkerApplication.class).run(arguments.entrySet().stream()
                .map(a -> "--" + a.getKey() + "=" + a.getValue()).toArray(String[]::new));
        jdbc = worker.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.getBean(PgWakeUpListener.class).connected());
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) worker.close();
    }

    @Test
    void a_dispatched_job_starts_long_before_jobruns_next_poll() {
        // Several in a row: JobRunr's one poll at startup could account for one of them, not for all.
        for (int i = 0; i < 3; i++) {
            UUID jobId = dispatchIngest("prompt-" + i);
            await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(50)).until(() -> started(jobId));
        }
    }

    @Test
    void the_listener_listens_again_after_its_connection_is_killed_and_jobs_still_start_promptly() {
        PgWakeUpListener listener = worker.getBean(PgWakeUpListener.class);
        Integer killedPid = listeningPid();
        assertThat(killedPid).isNotNull();
        jdbc.queryForObject("select pg_terminate_backend(?)", Boolean.class, killedPid);
        await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(50)).until(() -> {
            Integer pid = listeningPid();
            return pid != null && !pid.equals(killedPid) && listener.connected();
        });

        UUID jobId = dispatchIngest("after-reconnect");
        await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(50)).until(() -> started(jobId));
    }

    @Test
    void jobs_woken_in_a_burst_each_run_exactly_once() {
        List<UUID> burst = new ArrayList<>();
        for (int i = 0; i < 12; i++) burst.add(dispatchIngest("burst-" + i));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                burst.stream().allMatch(id -> "SUCCEEDED".equals(status(id))));
        for (UUID id : burst) {
            assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ? and type = 'started'",
                    Integer.class, id)).as("runs of job %s", id).isEqualTo(1);
        }
    }

    /** A small ingest, queued the way the API does it: created, then released to JobRunr after commit. */
    private static UUID dispatchIngest(String name) {
        UUID documentId = Documents.insert(jdbc, "acme",
                SampleFiles.text(name + ".txt", "text/plain", "A short note called " + name + "."));
        UUID jobId = UUID.randomUUID();
        worker.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
            worker.getBean(PgJobStore.class).create(new NewJob(jobId, "acme", JobType.INGEST, documentId, "k-" + jobId, null));
            worker.getBean(JobDispatcher.class).dispatchAfterCommit(jobId);
        });
        return jobId;
    }

    private static boolean started(UUID jobId) {
        return jdbc.queryForObject("select started_at is not null from jobs where id = ?", Boolean.class, jobId);
    }

    private static String status(UUID jobId) {
        return jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId);
    }

    /** The backend of the worker's LISTEN session in this database, or null while it has none. */
    private static Integer listeningPid() {
        return jdbc.query("""
                select pid from pg_stat_activity
                where datname = current_database() and query = 'LISTEN quarry_job_enqueued'""",
                rs -> rs.next() ? rs.getInt(1) : null);
    }
}
