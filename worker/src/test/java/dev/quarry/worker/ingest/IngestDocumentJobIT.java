package dev.quarry.worker.ingest;

import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.events.JobEvent;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.IngestDocumentHandler;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import dev.quarry.worker.testing.WorkerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real worker: JobRunr picks the job up, Tika, the in-process model and PostgreSQL do the rest. */
class IngestDocumentJobIT extends WorkerContext {
    private static final Duration PICKUP = Duration.ofSeconds(60);

    @Autowired PgJobStore jobs;
    @Autowired PgJobEventStore events;
    @Autowired JobRequestScheduler scheduler;
    @Autowired StorageProvider jobRunr;
    @Autowired IngestDocumentHandler handler;
    @Autowired EmbeddingVersion version;
    @Autowired MeterRegistry meters;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void a_document_becomes_scrubbed_chunks_with_vectors_full_text_and_a_complete_event_history() {
        double succeededBefore = completed("succeeded");
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("report.txt", "text/plain", longReport()));

        Job job = submit("acme", documentId);
        Job done = awaitFinished("acme", job.id());

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(Documents.status(jdbc, documentId)).isEqualTo("INDEXED");
        List<Map<String, Object>> chunks = jdbc.queryForList("""
                select ordinal, text, token_count, vector_dims(embedding) as dims, embedding_version,
                       tsv @@ plainto_tsquery('english', 'hypersonic heat shield') as matches
                from chunks where document_id = ? and tenant_id = 'acme' order by ordinal""", documentId);
        assertThat(chunks.size()).isGreaterThan(1);
        assertThat(jdbc.queryForObject("select chunk_count from documents where id = ?", Integer.class, documentId))
                .isEqualTo(chunks.size());
        for (Map<String, Object> chunk : chunks) {
            assertThat(chunk.get("dims")).isEqualTo(384);
            assertThat((Integer) chunk.get("token_count")).isPositive().isLessThanOrEqualTo(256);
            assertThat(chunk.get("embedding_version")).isEqualTo(version.tag());
            assertThat((String) chunk.get("text")).doesNotContain("ada@example.com");
        }
        assertThat(chunks).anySatisfy(c -> assertThat(c.get("matches")).isEqualTo(true));
        assertThat(chunks).anySatisfy(c -> assertThat((String) c.get("text")).contains("[EMAIL]"));
        // Counted once the SUCCEEDED transaction has committed, so just after the status is visible.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(completed("succeeded")).isEqualTo(succeededBefore + 1));
        assertThat(meters.get("quarry.embedding.calls").tags("provider", "in-process", "caller", "ingest",
                "outcome", "success").counter().count()).isPositive();
        assertThat(meters.get("quarry.jobs.run.time").tags("type", "ingest", "status", "succeeded").timer().count())
                .isPositive();
        assertThat(meters.find("quarry.ingest.step").tag("step", "embed").timer().count()).isPositive();
        assertThat(meters.find("quarry.embedding.segments").counter().count()).isGreaterThanOrEqualTo(chunks.size());

        List<JobEvent> history = events.after(job.id(), "acme", 0);
        assertThat(history).extracting(JobEvent::type).first().isEqualTo("queued");
        assertThat(history).extracting(JobEvent::type).element(1).isEqualTo("started");
        assertThat(history).extracting(JobEvent::type).last().isEqualTo("succeeded");
        List<JobEvent> progress = history.subList(2, history.size() - 1);
        assertThat(progress).extracting(JobEvent::type).containsOnly("progress");
        assertThat(progress).extracting(e -> e.data().get("step")).containsExactly(
                "extract", "normalize", "scrub", "chunk", "embed", "store");
        // A count for every kind the scrubber knows (thirteen), the one e-mail address and nothing else.
        @SuppressWarnings("unchecked")
        Map<String, Integer> scrubbed = (Map<String, Integer>) progress.get(2).data().get("scrubbed");
        assertThat(scrubbed).hasSize(13).containsEntry("email", 1).containsEntry("creditCard", 0)
                .containsEntry("ssn", 0).containsEntry("phone", 0);
        assertThat(scrubbed.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        assertThat(progress.get(2).data().toString()).doesNotContain("ada@example.com");
        assertThat(history.get(history.size() - 1).data()).containsEntry("chunkCount", chunks.size());
    }

    @Test
    void a_larger_document_reports_embedding_progress_per_batch_of_32() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 700; i++) {
            text.append("Section ").append(i).append(" compares the measured skin friction with the laminar theory. ");
            if (i % 8 == 7) text.append("\n\n");
        }
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("long.txt", "text/plain", text.toString()));

        Job job = submit("acme", documentId);
        assertThat(awaitFinished("acme", job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);

        int chunks = chunkRows(documentId).size();
        assertThat(chunks).isGreaterThan(64);
        List<Integer> embedded = events.after(job.id(), "acme", 0).stream()
                .filter(e -> "embed".equals(e.data().get("step"))).map(e -> (Integer) e.data().get("done")).toList();
        List<Integer> expected = new ArrayList<>();
        for (int done = 32; done < chunks; done += 32) expected.add(done);
        expected.add(chunks);
        assertThat(embedded).containsExactlyElementsOf(expected);
    }

    @Test
    void running_the_same_job_again_replaces_its_chunks_instead_of_adding_to_them() throws Exception {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("report.txt", "text/plain", longReport()));
        Job job = submit("acme", documentId);
        awaitFinished("acme", job.id());
        List<Map<String, Object>> first = chunkRows(documentId);

        // As if the worker had died after storing but before recording success: JobRunr runs it again.
        jdbc.update("update jobs set status = 'RUNNING' where id = ?", job.id());
        handler.run(new IngestDocumentJob(job.id(), documentId, "acme"));

        assertThat(jobs.find("acme", job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        List<Map<String, Object>> second = chunkRows(documentId);
        assertThat(second).hasSameSizeAs(first);
        assertThat(second).extracting(r -> r.get("ordinal")).doesNotHaveDuplicates();
        assertThat(second).extracting(r -> r.get("text")).containsExactlyElementsOf(first.stream().map(r -> r.get("text")).toList());
        assertThat(jdbc.queryForObject("select chunk_count from documents where id = ?", Integer.class, documentId))
                .isEqualTo(first.size());
    }

    @Test
    void a_corrupt_pdf_fails_at_once_without_retries_and_stores_nothing() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.corruptPdf());

        Job job = submit("acme", documentId);
        Job done = awaitFinished("acme", job.id());

        assertThat(done.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(done.error()).contains("could not be read");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(Documents.status(jdbc, documentId)).isEqualTo("FAILED");
        assertThat(jdbc.queryForMap("select classification, attempts from dead_letter_jobs where job_id = ?", job.id()))
                .containsEntry("classification", "PERMANENT").containsEntry("attempts", 1);
        assertThat(chunkRows(documentId)).isEmpty();
        assertThat(events.after(job.id(), "acme", 0)).extracting(JobEvent::type)
                .startsWith("queued", "started").endsWith("dead_lettered");
        await().atMost(PICKUP).until(() -> jobRunr.getJobById(job.id()).getState() == StateName.SUCCEEDED);
    }

    @Test
    void a_job_cannot_ingest_another_tenants_document() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "Acme's own words."));

        Job job = submit("intruder", documentId);
        Job done = awaitFinished("intruder", job.id());

        assertThat(done.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(done.error()).isEqualTo("the document no longer exists");
        assertThat(Documents.status(jdbc, documentId)).isEqualTo("PENDING");
        assertThat(chunkRows(documentId)).isEmpty();
    }

    private Job submit(String tenant, UUID documentId) {
        Job job = jobs.create(new NewJob(UUID.randomUUID(), tenant, JobType.INGEST, documentId,
                "key-" + UUID.randomUUID(), null));
        // As the API does: no JobRunr retries, Quarry's retry policy decides.
        scheduler.create(JobBuilder.aJob().withId(job.id()).withAmountOfRetries(0)
                .withJobRequest(new IngestDocumentJob(job.id(), documentId, tenant)));
        return job;
    }

    private Job awaitFinished(String tenant, UUID jobId) {
        await().atMost(PICKUP).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(tenant, jobId).orElseThrow().status().isTerminal());
        return jobs.find(tenant, jobId).orElseThrow();
    }

    private List<Map<String, Object>> chunkRows(UUID documentId) {
        return jdbc.queryForList("select ordinal, text from chunks where document_id = ? order by ordinal", documentId);
    }

    private double completed(String status) {
        var counter = meters.find("quarry.jobs.completed").tags("type", "ingest", "status", status).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Several paragraphs, well over one chunk, with one e-mail address to scrub. */
    private static String longReport() {
        StringBuilder text = new StringBuilder("Flight test report. Contact ada@example.com for the raw data.\n\n");
        for (int i = 0; i < 40; i++) {
            text.append("Run ").append(i).append(" measured the hypersonic heat shield temperature at Mach ")
                    .append(5 + i % 7).append(" while the boundary layer stayed laminar over the forebody. ");
            if (i % 6 == 5) text.append("\n\n");
        }
        return text.toString();
    }
}
