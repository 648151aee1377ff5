package dev.quarry.worker.ingest;

import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Base of the tests that run ingest jobs through the real worker, from an empty database each. */
abstract class IngestJobTest extends WorkerContext {
    @Autowired PgJobStore jobs;
    @Autowired JobRequestScheduler scheduler;
    @Autowired MeterRegistry meters;
    @Autowired JdbcTemplate jdbc;
    IngestJobs ingest;

    @BeforeEach
    void cleanDatabase() {
        Databases.truncateQuarryTables(jdbc);
        ingest = new IngestJobs(jobs, scheduler, meters);
    }
}
