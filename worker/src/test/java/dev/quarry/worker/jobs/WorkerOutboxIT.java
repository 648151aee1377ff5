package dev.quarry.worker.jobs;

import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox sweeper runs in the worker too: a job a worker created reaches JobRunr with no API running. */
class WorkerOutboxIT extends WorkerContext {
    @Autowired PgJobStore jobs;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void a_worker_created_job_whose_hand_over_failed_is_handed_over_by_the_workers_own_sweeper() {
        // A reindex's per-document job, committed by a worker that then failed to reach JobRunr (and is older
        // than quarry.outbox.min-age, which the worker tests set high so that other tests' rows stay alone).
        UUID id = UUID.randomUUID();
        jobs.create(new NewJob(id, "acme", JobType.REINDEX_DOCUMENT, null, null, null));
        jdbc.update("update jobs set created_at = now() - interval '1 hour' where id = ?", id);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                jdbc.queryForObject("select count(*) from jobrunr_jobs where id = ?", Integer.class, id.toString()) == 1);
        assertThat(jdbc.queryForObject("select enqueued_at is not null from jobs where id = ?", Boolean.class, id)).isTrue();
    }
}
