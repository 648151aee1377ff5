package dev.quarry.jobs;

import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs row is the outbox: a job committed but never released to JobRunr is released by the sweeper. */
@SpringBootTest(classes = CommonTestApplication.class)
class JobOutboxSweeperIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired PgJobStore jobs;
    @Autowired JobLifecycle lifecycle;
    @Autowired JobOutboxSweeper sweeper;
    @Autowired JobDispatcher dispatcher;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    /** As if the API died between commit and hand-over, a minute ago. */
    private UUID strandedJob() {
        UUID id = UUID.randomUUID();
        jobs.create(new NewJob(id, "acme", JobType.INGEST, null, "k-" + id, null));
        jdbc.update("update jobs set created_at = now() - interval '1 minute' where id = ?", id);
        return id;
    }

    private int jobRunrRows(UUID id) {
        return jdbc.queryForObject("select count(*) from jobrunr_jobs where id = ?", Integer.class, id.toString());
    }

    @Test
    void a_stranded_job_is_handed_to_jobrunr_once() {
        UUID stranded = strandedJob();

        assertThat(sweeper.sweepOnce()).isEqualTo(1);

        assertThat(jobRunrRows(stranded)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select enqueued_at is not null from jobs where id = ?", Boolean.class, stranded))
                .isTrue();
        assertThat(sweeper.sweepOnce()).isZero();
        assertThat(jobRunrRows(stranded)).isEqualTo(1);
    }

    @Test
    void a_released_job_jobrunr_lost_goes_back_to_the_queue_and_is_released_again() {
        UUID id = strandedJob();
        sweeper.sweepOnce();
        jdbc.update("delete from jobrunr_jobs where id = ?", id.toString());
        jdbc.update("update jobs set enqueued_at = now() - interval '1 minute' where id = ?", id);

        assertThat(sweeper.sweepOnce()).isEqualTo(1);

        assertThat(jobRunrRows(id)).isEqualTo(1);
    }

    @Test
    void handing_over_a_job_jobrunr_already_holds_is_harmless() {
        UUID id = strandedJob();
        IngestDocumentJob request = new IngestDocumentJob(id, null, "acme");

        assertThat(dispatcher.dispatch(id, request)).isTrue();
        assertThat(dispatcher.dispatch(id, request)).isTrue();

        assertThat(jobRunrRows(id)).isEqualTo(1);
    }

    @Test
    void a_job_that_finished_before_reaching_jobrunr_is_not_handed_over() {
        UUID id = strandedJob();
        lifecycle.cancel(id, "acme", JobEventData.Cancelled.because(null));

        sweeper.sweepOnce();

        assertThat(jobRunrRows(id)).isZero();
        assertThat(jdbc.queryForObject("select enqueued_at is not null from jobs where id = ?", Boolean.class, id)).isTrue();
    }
}
