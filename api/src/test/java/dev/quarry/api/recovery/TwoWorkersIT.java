package dev.quarry.api.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.Datasets;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.ChaosReport;
import dev.quarry.testing.ChaosRun;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two real worker processes sharing one queue: each job runs on exactly one of them, also under SIGKILL. */
class TwoWorkersIT extends ApiIntegrationTest {
    private static final List<WorkerProcess> WORKERS = List.of(TestWorkers.create("left"), TestWorkers.create("right"));

    @BeforeAll
    static void startWorkers() throws Exception {
        for (WorkerProcess worker : WORKERS) worker.start();
    }

    @AfterAll
    static void stopWorkers() throws InterruptedException {
        for (WorkerProcess worker : WORKERS) worker.close();
    }

    @Test
    void every_job_runs_exactly_once_on_one_of_two_workers_and_both_take_work() throws Exception {
        for (WorkerProcess worker : WORKERS) {
            // A worker restarted by the chaos test may have found no free database connection at start.
            if (!worker.alive()) worker.start();
            TestWorkers.awaitRunning(jdbc, worker);
        }
        String token = TestTokens.forTenant("two-workers");
        List<UUID> jobIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobIds.add(UUID.fromString(json(uploadText(token, "doc-" + i + ".txt", document(i))).get("jobId").asText()));
        }

        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc.queryForObject(
                "select count(*) from jobs where tenant_id = 'two-workers' and status = 'SUCCEEDED'", Integer.class) == jobIds.size());

        List<Map<String, Object>> starts = jdbc.queryForList("""
                select job_id, data->>'worker' as worker from job_events
                where tenant_id = 'two-workers' and type = 'started'""");
        assertThat(starts).extracting(s -> s.get("job_id")).doesNotHaveDuplicates().hasSize(jobIds.size());
        assertThat(starts).extracting(s -> s.get("worker")).containsOnly(WORKERS.get(0).name(), WORKERS.get(1).name())
                .contains(WORKERS.get(0).name(), WORKERS.get(1).name());
        assertThat(jdbc.queryForObject("select count(*) from job_events where tenant_id = 'two-workers' and type = 'succeeded'",
                Integer.class)).isEqualTo(jobIds.size());
        assertThat(jdbc.queryForObject("""
                select count(*) from (select document_id, ordinal from chunks where tenant_id = 'two-workers'
                group by document_id, ordinal having count(*) > 1) d""", Integer.class)).isZero();
    }

    @Test
    void a_short_chaos_run_indexes_every_document_exactly_once_while_workers_are_killed() throws Exception {
        var endpoints = TestServices.endpoints();
        // A kill every 2 s (jittered): with instant pickup and the queue, the 24 documents' run took 5.4 s in a
        // fresh-clone CI run, and with a kill every 6 s none landed before it ended.
        var settings = new ChaosRun.Settings("http://localhost:" + port, TestTokens.SECRET, endpoints.jdbcUrl(),
                endpoints.user(), endpoints.password(), Datasets.cranfield(), "chaos-it", 24, 20, Duration.ofSeconds(2), 2, 2,
                Duration.ofMinutes(15));

        ChaosReport report = new ChaosRun(settings, WORKERS).run();

        System.out.print(report.summary());
        assertThat(report.problems()).isEmpty();
        assertThat(report.killsLanded()).isEqualTo(2);
        assertThat(report.workersThatRan()).containsExactly("left", "right");
        assertThat(report.duplicateChunks()).isZero();
    }

    private static String document(int i) {
        StringBuilder text = new StringBuilder("Document " + i + ". ");
        for (int s = 0; s < 60; s++) {
            text.append("Sentence ").append(s).append(" of report ").append(i)
                    .append(" describes the heat transfer to a blunt body in hypersonic flow. ");
        }
        return text.toString();
    }
}
