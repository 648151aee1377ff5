package dev.quarry.worker.embedding;

import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.embedding.batch.BatchItem;
import dev.quarry.embedding.batch.EmbeddingBatchRequest;
import dev.quarry.embedding.batch.EmbeddingBatches;
import dev.quarry.jobs.EmbedBatchJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobType;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * EMBED_BATCH jobs run by the worker's JobRunr server: a second delivery of a finished batch writes nothing,
 * and a batch that cannot succeed (its version is not one this deployment embeds) is dead-lettered at once,
 * without retries or a file.
 */
class EmbedBatchJobIT extends WorkerContext {
    private static final String TENANT = "batch-worker";

    @Autowired EmbeddingBatches batches;
    @Autowired EmbedBatchJobHandler handler;
    @Autowired PgEmbeddingVersions versions;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void a_second_delivery_of_a_finished_batch_writes_nothing() throws Exception {
        Job job = request(versions.active(TENANT).tag());
        await().atMost(Duration.ofMinutes(2)).until(() -> "SUCCEEDED".equals(status(job)));
        Map<String, Object> file = file(job.id());

        handler.run(new EmbedBatchJob(job.id(), TENANT));

        assertThat(file(job.id())).isEqualTo(file);
        assertThat(batches.find(TENANT, job.id()).orElseThrow().sha256()).isEqualTo(file.get("sha256"));
        assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ? and type = 'started'",
                Integer.class, job.id())).isEqualTo(1);
        assertThat(jdbc.queryForObject("select items is null from embedding_batches where id = ?", Boolean.class,
                job.id())).as("the texts are dropped once the results are written").isTrue();
    }

    @Test
    void a_batch_in_a_version_this_deployment_cannot_embed_is_dead_lettered_at_once() {
        Job job = request("retired-model@1");

        await().atMost(Duration.ofMinutes(2)).until(() -> "DEAD_LETTERED".equals(status(job)));

        assertThat(jdbc.queryForMap("select classification, attempts from dead_letter_jobs where job_id = ?", job.id()))
                .containsEntry("classification", "PERMANENT").containsEntry("attempts", 1);
        assertThat(jdbc.queryForObject("select error from jobs where id = ?", String.class, job.id()))
                .contains("retired-model@1");
        assertThat(jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class,
                job.id())).isZero();
        assertThat(batches.find(TENANT, job.id()).orElseThrow().complete()).isFalse();
    }

    private Job request(String version) {
        return batches.request(new EmbeddingBatchRequest(TENANT, version,
                List.of(new BatchItem("one", "A lighthouse at dusk."), new BatchItem("two", "Tides and moons.")),
                "someone", "batch-" + UUID.randomUUID(), null, JobType.EMBED_BATCH.defaultPriority()));
    }

    private String status(Job job) {
        return jdbc.queryForObject("select status from jobs where id = ?", String.class, job.id());
    }

    private Map<String, Object> file(UUID id) {
        return jdbc.queryForMap("select count(*) as parts, encode(sha256(string_agg(bytes, ''::bytea order by part_no)), 'hex') "
                + "as sha256 from export_parts where export_id = ?", id);
    }
}
