package dev.quarry.worker.jobs;

import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.testing.ChunkStoreFailure;
import dev.quarry.testing.Databases;
import dev.quarry.testing.SampleFiles;
import dev.quarry.worker.testing.Documents;
import dev.quarry.worker.testing.WorkerContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's part of an upload's trace, from the spans the real OpenTelemetry SDK finished: creating the job
 * opens its enqueue span under the creator's context, every run of the job is a child of that span (so a
 * retried run stays in the original trace), each ingest step is a child of its run, each embedding request a
 * child of the embed step and the store's transaction a child of the store step. The first store fails once,
 * so there are two runs.
 */
class JobSpansIT extends WorkerContext {
    /** A trace of this test's own: the suite's other tests share the exporter, and some a fixed trace id. */
    private static final String TRACE = UUID.randomUUID().toString().replace("-", "");
    private static final String API_SPAN = "00f067aa0ba902b7";

    @Autowired PgJobStore jobs;
    @Autowired JobRequestScheduler scheduler;
    @Autowired JdbcTemplate jdbc;
    @Autowired InMemorySpanExporter spans;

    @BeforeEach
    void failTheFirstStore() {
        Databases.truncateQuarryTables(jdbc);
        ChunkStoreFailure.install(jdbc);
    }

    @AfterEach
    void removeTheFailure() {
        ChunkStoreFailure.remove(jdbc);
    }

    @Test
    void every_run_continues_the_saved_trace_with_a_span_per_step_and_per_embedding_request() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("note.txt", "text/plain",
                "Boundary layer transition on a flat plate at supersonic speed."));
        Job job = jobs.create(new NewJob(UUID.randomUUID(), "acme", JobType.INGEST, documentId, "k-spans",
                "00-" + TRACE + "-" + API_SPAN + "-01"));
        scheduler.create(JobBuilder.aJob().withId(job.id()).withAmountOfRetries(0)
                .withJobRequest(new IngestDocumentJob(job.id(), documentId, "acme")));

        // Finished spans are exported in batches, a few seconds after the job ends.
        List<SpanData> runs = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> trace().stream().filter(s -> s.getName().equals("job ingest")).toList(),
                        found -> found.size() == 2 && trace().stream().anyMatch(s -> s.getName().equals("ingest store")
                                && s.getParentSpanId().equals(found.get(1).getSpanId())));

        SpanData enqueue = trace().stream().filter(s -> s.getName().equals("enqueue ingest")).findFirst().orElseThrow();
        assertThat(enqueue.getParentSpanId()).isEqualTo(API_SPAN);
        assertThat(enqueue.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(jdbc.queryForObject("select trace_parent from jobs where id = ?", String.class, job.id()))
                .isEqualTo("00-" + TRACE + "-" + enqueue.getSpanId() + "-01");
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.getParentSpanId()).isEqualTo(enqueue.getSpanId());
            assertThat(run.getAttributes().asMap().toString()).contains(job.id().toString());
        });
        SpanData succeeded = runs.stream().filter(r -> r.getStatus().getStatusCode().name().equals("UNSET")
                || r.getStatus().getStatusCode().name().equals("OK")).findFirst().orElseThrow();
        List<String> steps = trace().stream().filter(s -> s.getParentSpanId().equals(succeeded.getSpanId()))
                .map(SpanData::getName).toList();
        assertThat(steps).contains("ingest store");
        SpanData store = trace().stream().filter(s -> s.getName().equals("ingest store")
                && s.getParentSpanId().equals(succeeded.getSpanId())).findFirst().orElseThrow();
        assertThat(trace()).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("store transaction");
            assertThat(s.getParentSpanId()).isEqualTo(store.getSpanId());
        });
        SpanData embed = trace().stream().filter(s -> s.getName().equals("ingest embed")).findFirst().orElseThrow();
        assertThat(trace()).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("embedding call");
            assertThat(s.getParentSpanId()).isEqualTo(embed.getSpanId());
        });
        assertThat(runs).anySatisfy(run -> assertThat(run.getStatus().getStatusCode().name()).isEqualTo("ERROR"));
    }

    private List<SpanData> trace() {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE)).toList();
    }
}
