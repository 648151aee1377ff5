package dev.quarry.jobs;

import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job meters, recorded by the lifecycle for every family: real transitions on a real database. The tests
 * share one registry, so each compares what it reads with what it read before it acted.
 */
@SpringBootTest(classes = {CommonTestApplication.class, JobMetersIT.Meters.class},
        properties = "quarry.metrics.waiting-refresh=PT0S")
class JobMetersIT {
    private static final DeadLetterCause CORRUPT = new DeadLetterCause("CorruptFile", "not a PDF", null,
            DeadLetterCause.Classification.PERMANENT, 1);

    @TestConfiguration
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired JobLifecycle lifecycle;
    @Autowired PgJobStore jobs;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired MeterRegistry meters;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    private UUID create(String tenant, JobType type) {
        UUID id = UUID.randomUUID();
        jobs.create(new NewJob(id, tenant, type, null, "k-" + id, null));
        return id;
    }

    @Test
    void an_accepted_job_is_counted_by_type() {
        double ingest = count("quarry.jobs.accepted", "type", "ingest");
        double reindex = count("quarry.jobs.accepted", "type", "reindex");
        create("acme", JobType.INGEST);
        create("acme", JobType.INGEST);
        create("acme", JobType.REINDEX);

        assertThat(count("quarry.jobs.accepted", "type", "ingest") - ingest).isEqualTo(2);
        assertThat(count("quarry.jobs.accepted", "type", "reindex") - reindex).isEqualTo(1);
    }

    @Test
    void the_time_in_queue_runs_from_creation_to_the_start() {
        Timer queued = meters.get("quarry.jobs.queue.time").tag("type", "ingest").timer();
        long count = queued.count();
        double seconds = queued.totalTime(TimeUnit.SECONDS);
        UUID id = create("acme", JobType.INGEST);
        jdbc.update("update jobs set updated_at = now() - interval '30 seconds' where id = ?", id);

        lifecycle.start(id, "acme", JobEventData.Started.NOTHING);

        assertThat(queued.count() - count).isOne();
        assertThat(queued.totalTime(TimeUnit.SECONDS) - seconds).isBetween(30.0, 60.0);
    }

    @Test
    void a_retried_job_waits_from_when_its_retry_is_due_not_from_its_failure() {
        // The only test that starts reindex_document jobs: the timer's figures are this test's.
        UUID id = create("acme", JobType.REINDEX_DOCUMENT);
        lifecycle.start(id, "acme", JobEventData.Started.NOTHING);
        lifecycle.scheduleRetry(id, "acme", new JobEventData.RetryScheduled(1, Instant.now().plusSeconds(3600),
                "SocketTimeoutException"), "timed out");
        jdbc.update("update jobs set updated_at = now() - interval '1 hour' where id = ?", id);

        lifecycle.start(id, "acme", JobEventData.Started.NOTHING); // early: the retry is not due for an hour

        Timer queued = meters.get("quarry.jobs.queue.time").tag("type", "reindex_document").timer();
        assertThat(queued.count()).isEqualTo(2);
        assertThat(queued.max(TimeUnit.SECONDS)).isLessThan(60);
        assertThat(count("quarry.jobs.retries", "type", "reindex_document", "error", "SocketTimeoutException")).isOne();
        assertThat(meters.get("quarry.jobs.run.time").tags("type", "reindex_document", "status", "retry_scheduled")
                .timer().count()).isOne();
    }

    @Test
    void each_outcome_is_counted_once_with_its_run_time() {
        double succeededBefore = count("quarry.jobs.completed", "type", "ingest", "status", "succeeded");
        double deadBefore = count("quarry.jobs.completed", "type", "ingest", "status", "dead_lettered");
        double cancelledBefore = count("quarry.jobs.completed", "type", "ingest", "status", "cancelled");
        UUID succeeded = create("acme", JobType.INGEST);
        lifecycle.start(succeeded, "acme", JobEventData.Started.NOTHING);
        lifecycle.succeed(succeeded, "acme", JobEventData.Succeeded.ingested(UUID.randomUUID(), 3));
        UUID dead = create("acme", JobType.INGEST);
        lifecycle.start(dead, "acme", JobEventData.Started.NOTHING);
        lifecycle.deadLetter(dead, "acme", CORRUPT);
        lifecycle.deadLetter(dead, "acme", CORRUPT); // repeated after a crash: nothing happens, nothing counted
        UUID cancelled = create("acme", JobType.INGEST);
        lifecycle.cancel(cancelled, "acme", JobEventData.Cancelled.because("withdrawn"));

        assertThat(count("quarry.jobs.completed", "type", "ingest", "status", "succeeded") - succeededBefore).isOne();
        assertThat(count("quarry.jobs.completed", "type", "ingest", "status", "dead_lettered") - deadBefore).isOne();
        assertThat(count("quarry.jobs.completed", "type", "ingest", "status", "cancelled") - cancelledBefore).isOne();
        // Only this test dead-letters and ends runs: these meters are its own.
        assertThat(count("quarry.jobs.dead.letters", "type", "ingest", "error", "CorruptFile")).isOne();
        assertThat(meters.get("quarry.jobs.run.time").tags("type", "ingest", "status", "succeeded").timer().count())
                .isOne();
        assertThat(meters.get("quarry.jobs.run.time").tags("type", "ingest", "status", "dead_lettered").timer()
                .count()).isOne();
        // It never ran: no run time.
        assertThat(meters.find("quarry.jobs.run.time").tags("status", "cancelled").timer()).isNull();
    }

    @Test
    void a_move_rolled_back_with_its_transaction_is_not_counted() {
        UUID id = create("acme", JobType.INGEST);
        lifecycle.start(id, "acme", JobEventData.Started.NOTHING);
        double succeeded = count("quarry.jobs.completed", "type", "ingest", "status", "succeeded");

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            lifecycle.succeed(id, "acme", JobEventData.Succeeded.ingested(UUID.randomUUID(), 3));
            throw new IllegalStateException("the store step failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(count("quarry.jobs.completed", "type", "ingest", "status", "succeeded")).isEqualTo(succeeded);
        assertThat(jobs.find("acme", id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void jobs_waiting_are_read_from_the_table_for_every_type_and_waiting_state() {
        create("acme", JobType.INGEST);
        create("globex", JobType.INGEST);
        UUID retried = create("acme", JobType.REINDEX);
        lifecycle.start(retried, "acme", JobEventData.Started.NOTHING);
        lifecycle.scheduleRetry(retried, "acme", new JobEventData.RetryScheduled(1, Instant.now(), "IOException"), "io");
        // Written by another process: the gauge counts the table, not this process's own moves.
        jdbc.update("""
                insert into jobs (id, tenant_id, type, status, idempotency_key)
                values (gen_random_uuid(), 'acme', 'REINDEX_DOCUMENT', 'QUEUED', 'elsewhere')""");

        // The gauge reads on its own thread (a scrape never waits for the database): the figures follow.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(waiting("ingest", "queued")).isEqualTo(2);
            assertThat(waiting("reindex", "retry_scheduled")).isEqualTo(1);
            assertThat(waiting("reindex_document", "queued")).isEqualTo(1);
            assertThat(waiting("reindex", "queued")).isZero();
        });
        assertThat(meters.find("quarry.jobs.waiting").gauges())
                .hasSize(JobType.values().length * JobStatus.WAITING.size());
    }

    private double waiting(String type, String state) {
        return meters.get("quarry.jobs.waiting").tags("type", type, "state", state).gauge().value();
    }

    private double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
