package dev.quarry.api.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiApplication;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limiter on the real API against the shared Redis: per-user, per-tenant and per-address buckets, tiers,
 * per-endpoint costs, the IETF headers, the 429 problem, and the admin endpoints. Every test uses fresh
 * tenants and subjects, and starts with the address's bucket gone, so that tests do not share buckets.
 */
@AutoConfigureObservability
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, "quarry.rate-limit.enabled=true",
                "quarry.rate-limit.ip-per-window=45", "quarry.rate-limit.tiers.free.tenant=30",
                "quarry.rate-limit.tier-refresh=PT0S",
                // A loaded test machine may take longer than the 250 ms default for a healthy Redis.
                "quarry.rate-limit.redis-timeout=PT2S",
                // Buckets refill evenly over the window: over an hour, a slow test run gets no token back.
                "quarry.rate-limit.window=PT1H"})
class RateLimitIT extends ApiIntegrationTest {
    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void forgetTheAddress() {
        // On the shared buckets (a Redis hiccup on a loaded machine would put a test on the local ones)...
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            get("/api/v1/documents", user(fresh("probe"), "enterprise"));
            return get("/actuator/health/readiness", null).body().contains("\"buckets\":\"redis\"");
        });
        // ...and with a full bucket for the address.
        Set<String> keys = redis.keys("quarry:ratelimit:ip:*");
        if (keys != null && !keys.isEmpty()) redis.delete(keys);
    }

    @Test
    void a_free_user_gets_twenty_status_reads_a_window_then_429_with_retry_after() {
        String token = user(fresh("acme"), null);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> read = get("/api/v1/jobs/" + UUID.randomUUID(), token);
            assertProblem(read, 404, "not-found");
            assertThat(read.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(policy ->
                    assertThat(policy).contains("\"user\";q=20;w=3600", "\"tenant\";q=30;w=3600", "\"ip\";q=45;w=3600"));
            assertThat(read.headers().firstValue("RateLimit").orElseThrow()).contains("\"user\";r=" + (19 - i) + ";t=");
        }
        HttpResponse<String> refused = get("/api/v1/jobs/" + UUID.randomUUID(), token);

        JsonNode problem = assertProblem(refused, 429, "rate-limited");
        assertThat(problem.path("limit").asText()).isEqualTo("user");
        assertThat(problem.path("quota").asLong()).isEqualTo(20);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        // A bucket of 20 an hour has one token back within 180 s.
        assertThat(retryAfter).isBetween(170L, 180L);
        assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(limit ->
                assertThat(limit).contains("\"user\";r=0;"));
    }

    @Test
    void an_upload_costs_five_and_a_refused_upload_stores_nothing() {
        String token = user(fresh("acme"), null);
        for (int i = 0; i < 4; i++) {
            assertThat(uploadText(token, "doc-" + i + ".txt", "text " + i).statusCode()).isEqualTo(202);
        }
        Map<String, Integer> before = rowCounts();

        HttpResponse<String> refused = uploadText(token, "one-too-many.txt", "no room left");

        assertThat(assertProblem(refused, 429, "rate-limited").path("limit").asText()).isEqualTo("user");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void a_tenants_users_share_the_tenant_bucket() {
        String tenant = fresh("globex");
        String alice = user(tenant, null);
        String bob = user(tenant, null);
        for (int i = 0; i < 20; i++) assertThat(get("/api/v1/documents", alice).statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) assertThat(get("/api/v1/documents", bob).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = get("/api/v1/documents", bob);

        assertThat(assertProblem(refused, 429, "rate-limited").path("limit").asText()).isEqualTo("tenant");
        // Another tenant is not affected.
        assertThat(get("/api/v1/documents", user(fresh("initech"), null)).statusCode()).isEqualTo(200);
    }

    @Test
    void one_address_is_limited_whoever_it_calls_as() {
        for (int i = 0; i < 45; i++) {
            String token = user(fresh("tenant-" + i), "enterprise");
            assertThat(get("/api/v1/documents", token).statusCode()).as("request %d", i).isEqualTo(200);
        }

        HttpResponse<String> refused = get("/api/v1/documents", user(fresh("last"), "enterprise"));

        assertThat(assertProblem(refused, 429, "rate-limited").path("limit").asText()).isEqualTo("ip");
    }

    @Test
    void the_tier_claim_sizes_the_buckets_and_an_unknown_tier_is_free() {
        HttpResponse<String> pro = get("/api/v1/documents", user(fresh("acme"), "pro"));
        HttpResponse<String> unknown = get("/api/v1/documents", user(fresh("acme"), "platinum"));

        assertThat(pro.headers().firstValue("RateLimit-Policy").orElseThrow()).contains("\"user\";q=100;w=3600",
                "\"tenant\";q=500;w=3600");
        assertThat(unknown.headers().firstValue("RateLimit-Policy").orElseThrow()).contains("\"user\";q=20;w=3600");
    }

    @Test
    void an_operator_changes_a_tier_and_the_next_request_is_limited_by_it() {
        String operator = TestTokens.forTenant(fresh("platform"), "operator");
        HttpResponse<String> changed = send(request("/api/v1/admin/rate-limits/tiers/free", operator)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"userPerWindow\":3,\"tenantPerWindow\":30}")).build());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(json(changed).path("userPerWindow").asLong()).isEqualTo(3);

        String token = user(fresh("acme"), null);
        for (int i = 0; i < 3; i++) assertThat(get("/api/v1/documents", token).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get("/api/v1/documents", token);

        assertThat(assertProblem(refused, 429, "rate-limited").path("quota").asLong()).isEqualTo(3);
        List<String> tiers = json(get("/api/v1/admin/rate-limits/tiers", operator)).findValuesAsText("tier");
        assertThat(tiers).contains("free", "pro", "enterprise");
    }

    @Test
    void a_tenant_admin_reads_and_resets_its_users_but_cannot_change_tiers_or_see_other_tenants() {
        String tenant = fresh("acme");
        String subject = "user-" + UUID.randomUUID();
        String token = TestTokens.forSubject(subject, tenant, List.of(), Map.of());
        for (int i = 0; i < 20; i++) get("/api/v1/documents", token);
        assertProblem(get("/api/v1/documents", token), 429, "rate-limited");
        String admin = TestTokens.forTenant(tenant, "admin");

        JsonNode state = json(get("/api/v1/admin/rate-limits/users/" + subject, admin));
        assertThat(state.path("buckets").findValuesAsText("scope")).contains("user", "tenant");
        JsonNode userBucket = bucket(state, "user");
        assertThat(userBucket.path("tier").asText()).isEqualTo("free");
        assertThat(userBucket.path("capacity").asLong()).isEqualTo(20);
        assertThat(userBucket.path("available").asLong()).isLessThan(2);

        HttpResponse<String> reset = send(request("/api/v1/admin/rate-limits/users/" + subject, admin).DELETE().build());
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(get("/api/v1/documents", token).statusCode()).isEqualTo(200);

        String otherAdmin = TestTokens.forTenant(fresh("globex"), "admin");
        assertProblem(get("/api/v1/admin/rate-limits/users/" + subject + "?tenant=" + tenant, otherAdmin), 403,
                "forbidden");
        assertProblem(send(request("/api/v1/admin/rate-limits/tiers/free", admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"userPerWindow\":1000,\"tenantPerWindow\":1000}")).build()),
                403, "forbidden");
        assertProblem(get("/api/v1/admin/rate-limits/users/" + subject, token), 403, "forbidden");
    }

    @Test
    void health_and_unauthenticated_requests_are_not_limited() {
        for (int i = 0; i < 50; i++) {
            assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> readiness = get("/actuator/health/readiness", null);
        assertThat(json(readiness).path("components").path("rateLimiter").path("details").path("buckets").asText())
                .isEqualTo("redis");
        assertThat(get("/api/v1/documents", null).headers().firstValue("RateLimit")).isEmpty();
    }

    private static JsonNode bucket(JsonNode state, String scope) {
        for (JsonNode bucket : state.path("buckets")) if (bucket.path("scope").asText().equals(scope)) return bucket;
        throw new AssertionError("no " + scope + " bucket in " + state);
    }

    private static String user(String tenant, String tier) {
        Map<String, Object> claims = tier == null ? Map.of() : Map.of("tier", tier);
        return TestTokens.forSubject("user-" + UUID.randomUUID(), tenant, List.of(), claims);
    }

    private static String fresh(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
