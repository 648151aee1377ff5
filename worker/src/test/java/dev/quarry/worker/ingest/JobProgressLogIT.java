package dev.quarry.worker.ingest;

import dev.quarry.jobs.JobLifecycle;
import dev.quarry.events.JobEvent;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobProgressLogIT extends WorkerContext {
    @Autowired JobLifecycle lifecycle;
    @Autowired TransactionTemplate tx;
    @Autowired PgJobStore jobs;
    @Autowired PgJobEventStore events;
    @Autowired JdbcTemplate jdbc;
    private Job job;

    @BeforeEach
    void createJob() {
        Databases.truncateQuarryTables(jdbc);
        job = jobs.create(new NewJob(UUID.randomUUID(), "acme", JobType.INGEST, null, "k", null));
    }

    @Test
    void events_close_together_wait_and_commit_with_the_next_transaction() {
        JobProgressLog log = log(Duration.ofHours(1));

        log.forStep("extract").report(1, 1);
        log.forStep("scrub").report(1, 1, Map.of("scrubbed", Map.of("email", 2)));
        assertThat(progress()).isEmpty();

        log.forStep("store").reportWith(3, 3, () -> jdbc.update("update jobs set error = 'marker' where id = ?", job.id()));

        List<JobEvent> written = progress();
        assertThat(written).extracting(e -> e.data().get("step")).containsExactly("extract", "scrub", "store");
        assertThat(written.get(1).data()).containsEntry("scrubbed", Map.of("email", 2)).containsEntry("percent", 100);
        assertThat(jobs.find("acme", job.id()).orElseThrow()).satisfies(j -> {
            assertThat(j.currentStep()).isEqualTo("store");
            assertThat(j.progressDone()).isEqualTo(3);
            assertThat(j.error()).isEqualTo("marker");
        });
    }

    @Test
    void an_event_after_a_quiet_interval_is_committed_at_once() {
        JobProgressLog log = log(Duration.ZERO);

        log.forStep("embed").report(32, 100);

        assertThat(progress()).extracting(e -> e.data().get("done")).containsExactly(32);
    }

    @Test
    void events_of_a_rolled_back_transaction_are_written_by_the_next_one_exactly_once() {
        JobProgressLog log = log(Duration.ofHours(1));
        log.forStep("extract").report(1, 1);

        assertThatThrownBy(() -> log.commit(() -> {
            throw new IllegalStateException("store failed");
        })).hasMessage("store failed");
        assertThat(progress()).isEmpty();

        log.commit(() -> {
        });
        assertThat(progress()).extracting(e -> e.data().get("step")).containsExactly("extract");
    }

    private JobProgressLog log(Duration flushInterval) {
        JobProgressLog log = new JobProgressLog(job.id(), "acme", lifecycle, tx, flushInterval);
        log.started();
        return log;
    }

    private List<JobEvent> progress() {
        return events.after(job.id(), "acme", 0).stream().filter(e -> e.type().equals("progress")).toList();
    }
}
