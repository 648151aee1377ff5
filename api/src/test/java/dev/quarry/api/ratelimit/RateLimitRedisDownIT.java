package dev.quarry.api.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.ApiApplication;
import dev.quarry.testing.PrivateServer;
import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis, which holds the buckets, really stops (a private redis-server of this test) for twenty seconds of
 * steady traffic: the API keeps answering, falls back to its own buckets (which still limit), says so in
 * the readiness details and the {@code quarry.ratelimit.local} gauge, and goes back to the shared buckets
 * once Redis returns.
 */
class RateLimitRedisDownIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PrivateServer redis;
    private ConfigurableApplicationContext api;
    private int port;

    @AfterEach
    void stop() {
        if (api != null) api.close();
        if (redis != null) redis.close();
    }

    @Test
    void limits_fail_open_to_local_buckets_while_redis_is_down_and_return_to_redis_after() throws Exception {
        start();
        assertThat(get("/api/v1/documents", freshUser()).statusCode()).isEqualTo(200);

        redis.stop();

        // Twenty seconds of traffic from ever new users: every request is served, none waits on Redis for long.
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/v1/documents", freshUser()).statusCode() == 200);
        assertThat(buckets()).isEqualTo("local");
        assertThat(json(get("/actuator/health/readiness", null)).path("status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/prometheus", null).body()).contains("quarry_ratelimit_local 1.0")
                .containsPattern("quarry_ratelimit_redis_failures_total [1-9]");
        // The local buckets still limit, per instance.
        String user = freshUser();
        for (int i = 0; i < 20; i++) assertThat(get("/api/v1/documents", user).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get("/api/v1/documents", user);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        redis.startAgain();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            get("/api/v1/documents", freshUser());
            return buckets().equals("redis");
        });
        assertThat(get("/actuator/prometheus", null).body()).contains("quarry_ratelimit_local 0.0");
    }

    private void start() {
        redis = PrivateServer.redis();
        Map<String, String> properties = new LinkedHashMap<>(TestServices.springProperties());
        properties.putAll(redis.springProperties());
        properties.putAll(Map.of("server.port", "0", "quarry.jwt.secret", TestTokens.SECRET,
                "quarry.rate-limit.enabled", "true", "quarry.rate-limit.window", "PT1H",
                "quarry.rate-limit.ip-per-window", "100000", "quarry.rate-limit.redis-retry", "PT1S",
                // A loaded test machine may take longer than the 250 ms default for a healthy Redis.
                "quarry.rate-limit.redis-timeout", "PT2S",
                "spring.data.redis.timeout", "500ms", "spring.data.redis.connect-timeout", "500ms"));
        api = new SpringApplicationBuilder(ApiApplication.class).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
        port = Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
        // On the shared buckets: a request drew from them and readiness says so.
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/documents", freshUser()).statusCode() == 200
                && buckets().equals("redis"));
    }

    private String buckets() throws IOException {
        return json(get("/actuator/health/readiness", null)).path("components").path("rateLimiter")
                .path("details").path("buckets").asText();
    }

    private static String freshUser() {
        return TestTokens.forSubject("user-" + UUID.randomUUID(), "tenant-" + UUID.randomUUID(), List.of(), Map.of());
    }

    private HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
