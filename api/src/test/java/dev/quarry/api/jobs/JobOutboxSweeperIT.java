package dev.quarry.api.jobs;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.events.JobEventType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs row is the outbox: a job committed but never handed to JobRunr is handed over by the sweeper. */
class JobOutboxSweeperIT extends ApiIntegrationTest {
    @Autowired
    PgJobStore jobs;
    @Autowired
    JobOutboxSweeper sweeper;
    @Autowired
    JobEnqueuer enqueuer;

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
        UUID fresh = UUID.randomUUID();
        jobs.create(new NewJob(fresh, "acme", JobType.INGEST, null, "fresh", null));

        // Asserts on the end state, not on sweepOnce()'s count: the scheduled sweep may get there first.
        sweeper.sweepOnce();

        assertThat(jobRunrRows(stranded)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select enqueued_at is not null from jobs where id = ?", Boolean.class, stranded))
                .isTrue();
        assertThat(jobRunrRows(fresh)).as("too young: its own request may be handing it over right now").isZero();
        assertThat(sweeper.sweepOnce()).isZero();
    }

    @Test
    void handing_over_a_job_jobrunr_already_holds_is_harmless() {
        UUID id = strandedJob();
        IngestDocumentJob request = new IngestDocumentJob(id, null, "acme");

        assertThat(enqueuer.enqueue(id, request)).isTrue();
        assertThat(enqueuer.enqueue(id, request)).isTrue();

        assertThat(jobRunrRows(id)).isEqualTo(1);
    }

    @Test
    void a_job_that_finished_before_reaching_jobrunr_is_not_handed_over() {
        UUID id = strandedJob();
        jobs.transition(id, "acme", JobStatus.CANCELLED, JobEventType.CANCELLED, Map.of(), null);

        sweeper.sweepOnce();

        assertThat(jobRunrRows(id)).isZero();
        assertThat(jdbc.queryForObject("select enqueued_at is not null from jobs where id = ?", Boolean.class, id)).isTrue();
    }
}
