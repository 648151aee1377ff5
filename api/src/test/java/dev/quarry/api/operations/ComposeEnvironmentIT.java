package dev.quarry.api.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml without a Docker engine: every variable it gives the API and the worker is one the
 * applications read, and the two jars boot with exactly that environment. Only what names the compose network
 * is pointed at the test services instead (database host, Redis host and port) and the ports are free ones.
 */
class ComposeEnvironmentIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z_]+)(?::?[-?]([^}]*))?}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void every_variable_compose_sets_is_read_by_the_applications() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String module : List.of("api", "worker", "common")) {
            try (var files = Files.walk(REPOSITORY.resolve(module + "/src/main/resources"))) {
                for (Path file : files.filter(f -> f.toString().matches(".*\\.(yml|yaml|xml|properties)")).toList()) {
                    Matcher placeholder = PLACEHOLDER.matcher(Files.readString(file));
                    while (placeholder.find()) read.add(placeholder.group(1));
                }
            }
        }
        Set<String> unread = new TreeSet<>();
        for (String service : List.of("api", "worker")) {
            for (String name : environment(service).keySet()) if (!read.contains(name)) unread.add(service + ": " + name);
        }
        assertThat(unread).as("compose variables no application reads").isEmpty();
    }

    @Test
    void the_api_and_a_worker_boot_with_the_compose_environment() throws Exception {
        List<Process> processes = new ArrayList<>();
        try {
            Map<String, String> worker = local(environment("worker"));
            Map<String, String> api = local(environment("api"));
            processes.add(start(TestWorkers.JAR_PROPERTY, worker, "compose-worker"));
            processes.add(start("quarry.api.jar", api, "compose-api"));
            for (String port : List.of(worker.get("QUARRY_WORKER_PORT"), api.get("QUARRY_API_PORT"))) {
                await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    processes.forEach(p -> assertThat(p.isAlive()).as("a process exited; see target/compose-*.log").isTrue());
                    return healthy(port);
                });
            }
            // QUARRY_LOG_FORMAT=json: every line the API wrote is a JSON object.
            List<String> lines = Files.readAllLines(Path.of("target", "compose-api.log"));
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(new ObjectMapper().readTree(line).isObject()).isTrue());
        } finally {
            for (Process process : processes) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        }
    }

    /** The service's environment as compose resolves it, with the variables a user must set given. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(REPOSITORY.resolve("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> raw = (Map<String, Object>) ((Map<String, Object>) services.get(service)).get("environment");
        Map<String, String> given = Map.of("QUARRY_JWT_SECRET", TestTokens.SECRET,
                "QUARRY_WORKER_PASSWORD", TestWorkers.PASSWORD);
        Map<String, String> resolved = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            Matcher variable = INTERPOLATION.matcher(String.valueOf(value));
            StringBuilder out = new StringBuilder();
            while (variable.find()) {
                String replacement = given.getOrDefault(variable.group(1),
                        variable.group(0).contains(":-") && variable.group(2) != null ? variable.group(2) : "");
                variable.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            variable.appendTail(out);
            resolved.put(name, out.toString());
        });
        return resolved;
    }

    /** The compose network's names pointed at the test services, and free ports. */
    private static Map<String, String> local(Map<String, String> compose) {
        TestServices.Endpoints services = TestServices.endpoints();
        Map<String, String> env = new LinkedHashMap<>(compose);
        assertThat(env.get("QUARRY_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/quarry");
        env.put("QUARRY_DB_URL", services.jdbcUrl());
        env.put("QUARRY_DB_USER", services.user());
        env.put("QUARRY_DB_PASSWORD", services.password());
        env.put("QUARRY_REDIS_HOST", services.redisHost());
        env.put("QUARRY_REDIS_PORT", Integer.toString(services.redisPort()));
        for (String port : List.of("QUARRY_API_PORT", "QUARRY_WORKER_PORT", "QUARRY_DASHBOARD_PORT")) {
            if (env.containsKey(port)) env.put(port, Integer.toString(TestWorkers.freePort()));
        }
        return env;
    }

    private static Process start(String jarProperty, Map<String, String> env, String name) throws IOException {
        String jar = System.getProperty(jarProperty);
        assertThat(jar).as(jarProperty).isNotNull();
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx768m", "-jar", jar).redirectErrorStream(true)
                .redirectOutput(Path.of("target", name + ".log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("QUARRY_") || key.startsWith("OPENAI_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private boolean healthy(String port) {
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
