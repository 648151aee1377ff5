package dev.quarry.worker.reindex;

import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.events.JobEvent;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.reindex.Reindexes;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reindex that keeps failing goes through Quarry's retry schedule (one 1 s retry in the worker tests) and
 * ends as a dead letter, instead of FAILED and stranded; its tenant may start the next reindex.
 */
class ReindexFailureIT extends WorkerContext {
    private static final String TENANT = "reindex-fails";
    @Autowired Reindexes reindexes;
    @Autowired PgJobStore jobs;
    @Autowired JobLifecycle lifecycle;
    @Autowired PgJobEventStore events;
    @Autowired EmbeddingCatalog catalog;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void a_reindex_that_keeps_failing_is_retried_then_dead_lettered_and_frees_its_tenant() {
        // A target the catalog does not know: every run fails before it touches a document.
        Job reindex = reindexes.start(TENANT, catalog.configured().tag(), "no-such-model@1", null, null);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(TENANT, reindex.id()).orElseThrow().status().isTerminal());

        assertThat(jobs.find(TENANT, reindex.id()).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(events.after(reindex.id(), TENANT, 0)).extracting(JobEvent::type)
                .containsSubsequence("started", "retrying", "started", "dead_lettered");
        assertThat(jdbc.queryForMap("select job_type, classification, attempts from dead_letter_jobs where job_id = ?",
                reindex.id()))
                .containsEntry("job_type", "REINDEX").containsEntry("classification", "RETRIES_EXHAUSTED")
                .containsEntry("attempts", 2);

        Job next = reindexes.start(TENANT, catalog.configured().tag(), "no-such-model@1", null, null);
        lifecycle.cancel(next.id(), TENANT, JobEventData.Cancelled.because("test over"));
    }
}
