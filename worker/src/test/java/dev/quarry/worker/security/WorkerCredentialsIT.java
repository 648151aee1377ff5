package dev.quarry.worker.security;

import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestWorkers;
import dev.quarry.worker.WorkerApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's actuator and JobRunr's dashboard answer only the operator credentials; health stays open for
 * probes. The dashboard is JobRunr's own HTTP server on its own port; its jobs API is what a stranger would
 * use to delete jobs. This context keeps its own JobRunr tables (a table prefix).
 */
@SpringBootTest(classes = WorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "jobrunr.database.table-prefix=credentials_it_",
        "jobrunr.background-job-server.worker-count=1",
        "jobrunr.dashboard.enabled=true",
        "jobrunr.dashboard.username=operator",
        "jobrunr.dashboard.password=" + TestWorkers.PASSWORD})
@DirtiesContext
@AutoConfigureObservability(tracing = false)
class WorkerCredentialsIT {
    private static final int DASHBOARD_PORT = TestWorkers.freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
        registry.add("jobrunr.dashboard.port", () -> DASHBOARD_PORT);
    }

    @Test
    void health_is_open_and_metrics_need_the_operator_credentials() throws Exception {
        assertThat(get(actuator("/actuator/health/liveness"), null).statusCode()).isEqualTo(200);

        assertThat(get(actuator("/actuator/prometheus"), null).statusCode()).isEqualTo(401);
        assertThat(get(actuator("/actuator/prometheus"), basic("operator", "wrong")).statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = get(actuator("/actuator/prometheus"), TestWorkers.operatorAuthorization());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("quarry_jobserver_running");
    }

    @Test
    void the_dashboard_and_its_jobs_api_need_the_operator_credentials() throws Exception {
        URI jobs = URI.create("http://localhost:" + DASHBOARD_PORT + "/api/jobs?state=ENQUEUED");

        assertThat(get(jobs, null).statusCode()).isEqualTo(401);
        assertThat(get(jobs, basic("operator", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get(jobs, TestWorkers.operatorAuthorization()).statusCode()).isEqualTo(200);
        assertThat(get(URI.create("http://localhost:" + DASHBOARD_PORT + "/dashboard/"), null).statusCode())
                .isEqualTo(401);
    }

    private URI actuator(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
