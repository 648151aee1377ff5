package dev.quarry.api.operations;

import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One upload's whole trace, read back from a real trace backend: Zipkin runs as a process on this machine, and
 * the API and a worker, both processes from their jars, export to it, configured by nothing but the standard
 * {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} variable. From Zipkin's
 * {@code /api/v2/trace/{id}} the test rebuilds the tree and checks every link: the HTTP request (the root) →
 * the job's enqueue → the worker's run of the job → each ingest step in order → the embedding calls under the
 * embed step and the transaction under the store step, in one trace, with no span whose parent is missing. A
 * worker that started a trace of its own would leave the enqueue span without its run. The tree is printed
 * (and written to {@code target/zipkin-trace.txt}); docs/metrics.md shows one.
 */
class ZipkinTraceIT {
    private static final String TENANT = "zipkin-trace";
    private static final List<String> STEPS = List.of("extract", "normalize", "scrub", "chunk", "embed", "store");
    private static LocalZipkin zipkin;
    private static WorkerProcess worker;
    private static Process api;
    private static int apiPort;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        zipkin = LocalZipkin.start();
        Map<String, String> otel = Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", zipkin.spansEndpoint());
        worker = TestWorkers.create("zipkin", Map.of(), otel);
        worker.start();
        apiPort = TestWorkers.freePort();
        api = startApi(otel);
        TestServices.Endpoints db = TestServices.endpoints();
        jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl(), db.user(), db.password()));
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(api.isAlive()).as("the API exited; see target/zipkin-api.log").isTrue();
            return healthy();
        });
        TestWorkers.awaitRunning(jdbc, worker);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            if (worker != null) worker.close();
        } finally {
            if (api != null) {
                api.destroy();
                if (!api.waitFor(30, TimeUnit.SECONDS)) api.destroyForcibly();
            }
            if (zipkin != null) zipkin.close();
        }
    }

    @Test
    void an_uploads_trace_in_zipkin_runs_from_the_request_through_the_worker_to_each_step() throws Exception {
        QuarryClient client = new QuarryClient("http://localhost:" + apiPort, TestTokens.forTenant(TENANT));
        // A text of this run's own: a chunk the embedding cache knew would need no embedding call.
        String jobId = client.upload("transition.txt", "Boundary layer transition on a flat plate at supersonic "
                + "speed, run " + UUID.randomUUID() + ". The heat transfer rose along the leading edge, and the "
                + "pressure distribution matched the theory within a few percent.", "{}", UUID.randomUUID().toString())
                .toString();
        // The trace the API started for the request (no traceparent came in), as saved with the job.
        String traceId = jdbc.queryForObject("select trace_parent from jobs where id = ?::uuid", String.class, jobId)
                .split("-")[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.get("/api/v1/jobs/" + jobId).path("status").asText().equals("SUCCEEDED"));

        // Both processes export in batches, a few seconds after the spans end; the store's transaction is the
        // worker's last, the request the API's.
        TraceTree tree = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> new TraceTree(zipkin.trace(traceId)), t -> t.find("store transaction").isPresent()
                        && t.find("job ingest").isPresent() && t.roots().size() == 1 && t.orphans().isEmpty());
        String printed = tree.print();
        System.out.println("The trace of job " + jobId + " in Zipkin:\n" + printed);
        Files.writeString(Path.of("target", "zipkin-trace.txt"), printed);

        assertThat(tree.spans()).allSatisfy(span -> assertThat(span.traceId()).isEqualTo(traceId));
        TraceTree.Span request = tree.roots().get(0);
        assertThat(request.name()).isEqualTo("http post /api/v1/documents");
        assertThat(request.service()).isEqualTo("quarry-api");
        assertThat(request.kind()).isEqualTo("SERVER");

        TraceTree.Span enqueue = request.child("enqueue ingest");
        assertThat(enqueue.service()).isEqualTo("quarry-api");
        assertThat(enqueue.kind()).isEqualTo("PRODUCER");
        assertThat(enqueue.tags()).containsEntry("quarry.job.id", jobId);

        // The worker's run continues the trace under the enqueue: a new trace would leave no child here.
        TraceTree.Span run = enqueue.child("job ingest");
        assertThat(run.service()).isEqualTo("quarry-worker");
        assertThat(run.kind()).isEqualTo("CONSUMER");
        assertThat(run.tags()).containsEntry("quarry.job.id", jobId).containsEntry("quarry.job.type", "ingest");

        List<TraceTree.Span> steps = run.children().stream().filter(s -> s.name().startsWith("ingest ")).toList();
        assertThat(steps).extracting(TraceTree.Span::name)
                .containsExactlyElementsOf(STEPS.stream().map(s -> "ingest " + s).toList());
        assertThat(steps).allSatisfy(step -> assertThat(step.service()).isEqualTo("quarry-worker"));

        List<TraceTree.Span> calls = run.child("ingest embed").children("embedding call");
        assertThat(calls).isNotEmpty().allSatisfy(call -> {
            assertThat(call.service()).isEqualTo("quarry-worker");
            assertThat(call.tags()).containsEntry("quarry.embedding.caller", "ingest");
        });
        TraceTree.Span transaction = run.child("ingest store").child("store transaction");
        assertThat(transaction.service()).isEqualTo("quarry-worker");
        assertThat(transaction.tags()).containsKey("quarry.chunks");
    }

    /** The API's executable jar as a process, wired to the test services, with {@code env} added. */
    private static Process startApi(Map<String, String> env) throws IOException {
        String jar = System.getProperty("quarry.api.jar");
        assertThat(jar).as("quarry.api.jar").isNotNull();
        Map<String, String> properties = new LinkedHashMap<>(TestServices.springProperties());
        properties.putAll(Map.of("server.port", Integer.toString(apiPort), "quarry.jwt.secret", TestTokens.SECRET,
                "quarry.rate-limit.enabled", "false"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-jar", jar));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "zipkin-api.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static boolean healthy() {
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + apiPort + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
