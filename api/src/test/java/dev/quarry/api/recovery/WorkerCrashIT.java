package dev.quarry.api.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed with SIGKILL in the middle of an ingest: JobRunr declares it dead, Quarry's retry
 * policy reschedules the orphaned run, the restarted worker picks it up and finishes it, and the document
 * ends with exactly the chunks of a clean run, one success and no dead letter.
 */
class WorkerCrashIT extends ApiIntegrationTest {
    /** Generous: on a loaded 2-core machine a worker JVM takes minutes to start and ingest. */
    private static final Duration WAIT = Duration.ofMinutes(6);
    /**
     * Progress committed every 50 ms, not every second: on a quiet machine the whole ingest of the document
     * took 1.2 s, so with the default the job's "embed" step was never the committed current step, the kill
     * never came, and the test waited out its 6 minutes (a fresh-clone run on a quiet machine).
     */
    private final WorkerProcess worker = TestWorkers.create("crash",
            Map.of("quarry.ingest.progress-flush-interval", "PT0.05S"));

    @AfterEach
    void stopWorker() throws InterruptedException {
        worker.close();
    }

    @Test
    void a_job_whose_worker_is_killed_mid_ingest_is_finished_once_by_the_restarted_worker() throws Exception {
        worker.start();
        TestWorkers.awaitRunning(jdbc, worker);
        String text = longDocument();
        int cleanChunks = chunksOfCleanRun(text);

        String token = TestTokens.forTenant("crash");
        JsonNode accepted = json(uploadText(token, "long.txt", text));
        UUID jobId = UUID.fromString(accepted.get("jobId").asText());
        UUID documentId = UUID.fromString(accepted.get("documentId").asText());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                "embed".equals(jdbc.queryForObject("select current_step from jobs where id = ?", String.class, jobId)));
        String killed = worker.name();
        worker.kill();
        assertThat(jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId)).isEqualTo("RUNNING");
        worker.start();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                "SUCCEEDED".equals(jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId)));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> "SUCCEEDED".equals(
                jdbc.queryForObject("select state from jobrunr_jobs where id = ?", String.class, jobId.toString())));

        List<Map<String, Object>> events = jdbc.queryForList(
                "select type, data->>'worker' as worker, data->>'errorClass' as error from job_events where job_id = ? order by id", jobId);
        assertThat(events).filteredOn(e -> e.get("type").equals("started")).extracting(e -> e.get("worker"))
                .containsExactly(killed, worker.name());
        assertThat(events).filteredOn(e -> e.get("type").equals("retrying")).extracting(e -> e.get("error"))
                .containsExactly("IllegalJobThreadStateException");
        assertThat(events).filteredOn(e -> e.get("type").equals("succeeded")).hasSize(1);
        Map<String, Object> chunks = jdbc.queryForMap("""
                select count(*) as rows, count(distinct ordinal) as ordinals, max(ordinal) as last,
                       (select chunk_count from documents where id = ?) as recorded
                from chunks where document_id = ?""", documentId, documentId);
        assertThat(chunks).containsEntry("rows", (long) cleanChunks).containsEntry("ordinals", (long) cleanChunks)
                .containsEntry("last", cleanChunks - 1).containsEntry("recorded", cleanChunks);
        assertThat(jdbc.queryForObject("select status from documents where id = ?", String.class, documentId))
                .isEqualTo("INDEXED");
        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs", Integer.class)).isZero();
    }

    @Test
    void a_worker_stopped_mid_ingest_exits_within_its_grace_and_its_job_is_handed_back_and_finished_once() throws Exception {
        // A very short grace, so that the stop lands while the job still runs: JobRunr interrupts it after 0.2 s.
        // (With 2 s, a quiet machine finished the whole ingest within the grace and nothing was handed back.)
        WorkerProcess stopping = TestWorkers.create("graceful",
                Map.of("jobrunr.background-job-server.interrupt-jobs-await-duration-on-stop", "PT0.2S"));
        try {
            stopping.start();
            TestWorkers.awaitRunning(jdbc, stopping);
            JsonNode accepted = json(uploadText(TestTokens.forTenant("graceful"), "long.txt", longDocument()));
            UUID jobId = UUID.fromString(accepted.get("jobId").asText());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                    "embed".equals(jdbc.queryForObject("select current_step from jobs where id = ?", String.class, jobId)));
            String stopped = stopping.name();

            // It exits by itself (no SIGKILL); the bound is generous for a loaded 2-core machine.
            assertThat(stopping.stop(Duration.ofSeconds(120))).as("exited after SIGTERM").isTrue();
            worker.start();

            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                    "SUCCEEDED".equals(jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId)));
            List<Map<String, Object>> events = jdbc.queryForList(
                    "select type, data->>'worker' as worker from job_events where job_id = ? order by id", jobId);
            assertThat(events).filteredOn(e -> e.get("type").equals("started")).extracting(e -> e.get("worker"))
                    .containsExactly(stopped, worker.name());
            assertThat(events).filteredOn(e -> e.get("type").equals("succeeded")).hasSize(1);
            UUID documentId = UUID.fromString(accepted.get("documentId").asText());
            assertThat(jdbc.queryForObject("select count(*) - count(distinct ordinal) from chunks where document_id = ?",
                    Integer.class, documentId)).isZero();
            assertThat(jdbc.queryForObject("select status from documents where id = ?", String.class, documentId))
                    .isEqualTo("INDEXED");
        } finally {
            stopping.close();
        }
    }

    /** The same text ingested without harm by the same worker, in another tenant. */
    private int chunksOfCleanRun(String text) {
        JsonNode accepted = json(uploadText(TestTokens.forTenant("crash-clean"), "long.txt", text));
        UUID jobId = UUID.fromString(accepted.get("jobId").asText());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                "SUCCEEDED".equals(jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId)));
        int chunks = jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class,
                UUID.fromString(accepted.get("documentId").asText()));
        assertThat(chunks).isGreaterThan(64);
        return chunks;
    }

    /** Long enough that embedding it takes seconds, so that the kill lands in the middle of it. */
    private static String longDocument() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2400; i++) {
            text.append("Run ").append(i).append(" measured the pressure distribution on a swept wing at Mach ")
                    .append(1 + i % 9).append(" and compared it with slender body theory for the boundary layer. ");
            if (i % 10 == 9) text.append("\n\n");
        }
        return text.toString();
    }
}
