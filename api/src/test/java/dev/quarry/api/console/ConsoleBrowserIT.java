package dev.quarry.api.console;

import dev.quarry.analytics.DailyAnalytics;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real browser: Debian's Chromium, headless, driven by playwright-core
 * ({@code src/test/console/console.e2e.mjs}) against this test's API and, for the second phase, a worker
 * process. {@code bin/quarry test} installs Chromium and playwright-core before Maven runs; without them this
 * test fails (it cannot prove the console works). The scenarios write a screenshot of each screen to
 * {@code target/console-screenshots}; {@code docs/screenshots} holds the committed ones.
 */
class ConsoleBrowserIT extends ApiIntegrationTest {
    private static final Path E2E = Path.of("src", "test", "console");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("QUARRY_CHROMIUM", "/usr/bin/chromium"));
    private final String tenant = "console-" + UUID.randomUUID();
    private WorkerProcess worker;
    @Autowired DailyAnalytics daily;

    @AfterEach
    void stopWorker() throws InterruptedException {
        if (worker != null) worker.close();
    }

    @Test
    void a_person_signs_in_uploads_watches_cancels_searches_requeues_and_chats_in_the_console() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (bin/quarry test installs it)").isExecutable();
        assertThat(E2E.resolve("node_modules/playwright-core/package.json"))
                .as("playwright-core in " + E2E + " (bin/quarry test runs npm install there)").exists();
        Path files = Files.createTempDirectory("console-e2e");
        Path sample = Files.copy(Path.of("..", "samples", "hybrid-search.md"), files.resolve("hybrid-search.md"));
        SampleFiles.Sample corrupt = SampleFiles.corruptPdf();
        Path corruptPdf = Files.write(files.resolve(corrupt.filename()), corrupt.bytes());
        Map<String, String> environment = Map.of(
                "QUARRY_CONSOLE_URL", "http://localhost:" + port + "/console/",
                "QUARRY_USER_TOKEN", TestTokens.forTenant(tenant),
                "QUARRY_ADMIN_TOKEN", TestTokens.forTenant(tenant, "tenant-admin"),
                "QUARRY_SAMPLE", sample.toAbsolutePath().toString(),
                "QUARRY_CORRUPT", corruptPdf.toAbsolutePath().toString(),
                "QUARRY_SEARCH_WORD", "fusion",
                "QUARRY_CHROMIUM", CHROMIUM.toString(),
                "QUARRY_SCREENSHOTS", Path.of("target", "console-screenshots").toAbsolutePath().toString());

        // No worker yet: the uploaded job stays QUEUED until the console cancels it.
        runPhase("queued", environment);
        assertThat(jdbc.queryForList("select status from jobs where tenant_id = ?", String.class, tenant))
                .containsExactly("CANCELLED");

        worker = TestWorkers.create("console");
        worker.start();
        TestWorkers.awaitRunning(jdbc, worker);
        runPhase("worker", environment);

        // The chat screen: the extractive answer (no language model is configured) over a document it uploads.
        Map<String, String> chat = new HashMap<>(environment);
        chat.put("QUARRY_CHAT_SAMPLE", Files.copy(Path.of("..", "samples", "durable-jobs.txt"),
                files.resolve("durable-jobs.txt")).toAbsolutePath().toString());
        chat.put("QUARRY_CHAT_QUESTION", "What happens to a job when its worker process crashes?");
        runPhase("chat", chat);
        assertThat(jdbc.queryForObject("select count(*) from conversation_messages where tenant_id = ?"
                + " and role = 'assistant' and metadata ->> 'extractive' = 'true'", Integer.class, tenant)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from job_events e join jobs j on j.id = e.job_id"
                + " where j.tenant_id = ? and j.type = 'CHAT' and e.data ->> 'delta' is not null", Integer.class,
                tenant)).as("the answer went out in several deltas").isGreaterThan(1);

        assertThat(jdbc.queryForObject("select count(*) from documents where tenant_id = ? and status = 'INDEXED'"
                + " and collection = 'guide'", Integer.class, tenant)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs where tenant_id = ?"
                + " and requeued_at is not null", Integer.class, tenant)).isEqualTo(1);
    }

    @Test
    void an_admin_sees_analytics_that_reflect_the_requests_just_made() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (bin/quarry test installs it)").isExecutable();
        assertThat(E2E.resolve("node_modules/playwright-core/package.json"))
                .as("playwright-core in " + E2E + " (bin/quarry test runs npm install there)").exists();
        AnalyticsHistory.seed(jdbc, daily, tenant);

        runPhase("analytics", Map.of(
                "QUARRY_CONSOLE_URL", "http://localhost:" + port + "/console/",
                "QUARRY_USER_TOKEN", TestTokens.forTenant(tenant),
                "QUARRY_ADMIN_TOKEN", TestTokens.forTenant(tenant, "tenant-admin"),
                "QUARRY_CHROMIUM", CHROMIUM.toString(),
                "QUARRY_SCREENSHOTS", Path.of("target", "console-screenshots").toAbsolutePath().toString()));
    }

    private void runPhase(String phase, Map<String, String> environment) throws IOException, InterruptedException {
        Path log = Path.of("target", "console-e2e-" + phase + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("node", "console.e2e.mjs", phase).directory(E2E.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process node = builder.start();
        boolean finished = node.waitFor(6, TimeUnit.MINUTES);
        if (!finished) node.destroyForcibly().waitFor();
        String output = Files.readString(log);
        assertThat(finished).as("phase " + phase + " did not finish within 6 minutes:\n" + output).isTrue();
        assertThat(node.exitValue()).as("phase " + phase + " of the browser scenarios:\n" + output).isZero();
        assertThat(output).contains("console e2e phase " + phase + ": passed");
    }
}
