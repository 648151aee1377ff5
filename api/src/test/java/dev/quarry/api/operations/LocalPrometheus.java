package dev.quarry.api.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.TestWorkers;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The distribution's Prometheus ({@code bin/quarry check-deploy} installs it), scraping the API and a worker
 * every second with the repository's alert rules loaded, so that dashboard and alert expressions are
 * evaluated by the real query engine against the applications' real series.
 */
final class LocalPrometheus implements AutoCloseable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Path dir;
    final String url;

    private LocalPrometheus(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.url = "http://127.0.0.1:" + port;
    }

    static LocalPrometheus scraping(int apiPort, int workerPort, Path alertRules) throws IOException {
        Path dir = Files.createTempDirectory("quarry-prometheus-");
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: quarry-api
                    metrics_path: /actuator/prometheus
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                  - job_name: quarry-worker
                    metrics_path: /actuator/prometheus
                    basic_auth: {username: operator, password: "%s"}
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(alertRules.toAbsolutePath(), apiPort, TestWorkers.PASSWORD, workerPort));
        int port = TestWorkers.freePort();
        Process process = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        return new LocalPrometheus(process, dir, port);
    }

    boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Each target's job, health and last scrape error, for a failure message. */
    String targets() throws IOException, InterruptedException {
        JsonNode active = json.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/targets")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("data").path("activeTargets");
        StringBuilder out = new StringBuilder();
        active.forEach(t -> out.append(t.path("labels").path("job").asText()).append(' ').append(t.path("health").asText())
                .append(' ').append(t.path("lastError").asText()).append('\n'));
        return out.toString();
    }

    /** The instant query's result vector (empty when the expression has no series). */
    JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException(promql + " -> " + response.body());
        return json.readTree(response.body()).path("data").path("result");
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
