package dev.quarry.api.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.TestWorkers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Zipkin server as a process of the test's own, on a free port with in-memory storage: the executable jar
 * of {@code io.zipkin:zipkin-server}, which the build copies to the path in {@value #JAR_PROPERTY}. The
 * applications send it their spans as an operator would have them, through the standard
 * {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} variable (Zipkin's released server takes no OTLP), and the test reads what
 * Zipkin stored through its HTTP API.
 */
final class LocalZipkin implements AutoCloseable {
    static final String JAR_PROPERTY = "quarry.zipkin.jar";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Path log;
    final String url;

    private LocalZipkin(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.url = "http://localhost:" + port;
    }

    /** Starts Zipkin and returns once it reports UP. */
    static LocalZipkin start() throws IOException {
        int port = TestWorkers.freePort();
        Path log = Path.of("target", "zipkin.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar(JAR_PROPERTY).toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("QUERY_PORT", Integer.toString(port), "STORAGE_TYPE", "mem"));
        LocalZipkin zipkin = new LocalZipkin(builder.start(), log, port);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(zipkin::up);
            return zipkin;
        } catch (RuntimeException e) {
            zipkin.close();
            throw new IllegalStateException("Zipkin did not start; see " + log.toAbsolutePath(), e);
        }
    }

    /** Where spans are posted, as an operator gives it in {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT}. */
    String spansEndpoint() {
        return url + "/api/v2/spans";
    }

    /** The spans Zipkin holds for {@code traceId} ({@code GET /api/v2/trace/{id}}); empty before any arrived. */
    JsonNode trace(String traceId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/trace/" + traceId))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) return json.createArrayNode();
        if (response.statusCode() != 200) throw new IllegalStateException(response.statusCode() + " " + response.body());
        return json.readTree(response.body());
    }

    private boolean up() {
        if (!process.isAlive()) throw new IllegalStateException("Zipkin exited; see " + log.toAbsolutePath());
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && json.readTree(health.body()).path("status").asText().equals("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path jar(String property) {
        String path = System.getProperty(property);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("no jar at " + property + "=" + path
                    + "; run the integration tests through Maven's verify, which copies it");
        }
        return Path.of(path).toAbsolutePath();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
