package dev.quarry.api.budgets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiApplication;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily budgets on the real API: an upload of 400 bytes, or a search for 400 bytes, is charged 100 tokens
 * (4 bytes a token) when it is accepted, and so is a re-ingest or a content replacement of 400 bytes; a tenant has 1,000 tokens a day and a user 300.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, ApiIntegrationTest.NO_RATE_LIMITS,
                "quarry.budget.tenant.daily-tokens=1000", "quarry.budget.user.daily-tokens=300",
                // Fifty requests queue for one budget row: give them time to get a connection.
                "spring.datasource.hikari.connection-timeout=120000"})
class BudgetIT extends ApiIntegrationTest {
    private static final byte[] FOUR_HUNDRED_BYTES = "quarry ".repeat(57).concat("q").getBytes(StandardCharsets.UTF_8);

    @Test
    void fifty_concurrent_searches_against_room_for_ten_admit_exactly_ten() {
        // A 400-byte query is charged 100 tokens: the tenant's 1,000 have room for exactly ten. (Searches, not
        // uploads: fifty concurrent uploads exhaust the test's five database connections in the idempotency
        // layer, which needs a second connection per upload, before any budget is reached.)
        String query = "q".repeat(400);
        String tenant = "budget-" + UUID.randomUUID();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // Fifty users, so that the tenant's budget is the one that binds.
            String token = TestTokens.forSubject("user-" + i, tenant, List.of(), Map.of());
            responses.add(http.sendAsync(request("/api/v1/search?mode=keyword&q=" + query, token)
                    .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> done = responses.stream().map(CompletableFuture::join).toList();

        assertThat(done.stream().map(HttpResponse::statusCode).filter(status -> status == 200)).hasSize(10);
        List<HttpResponse<String>> refused = done.stream().filter(r -> r.statusCode() != 200).toList();
        assertThat(refused).hasSize(40);
        refused.forEach(r -> assertThat(assertProblem(r, 429, "budget-exceeded").path("budget").asText())
                .isEqualTo("tenant-daily-tokens"));
        assertThat(used("tenant", tenant)).isEqualTo(1000);
    }

    @Test
    void a_user_over_budget_gets_429_naming_the_budget_and_its_reset_until_its_admin_raises_it() {
        String tenant = "budget-" + UUID.randomUUID();
        String subject = "user-" + UUID.randomUUID();
        String token = TestTokens.forSubject(subject, tenant, List.of(), Map.of());
        for (int i = 0; i < 3; i++) assertThat(upload(token, i).statusCode()).isEqualTo(202);
        Map<String, Integer> before = rowCounts();

        HttpResponse<String> refused = upload(token, 3);

        JsonNode problem = assertProblem(refused, 429, "budget-exceeded");
        assertThat(problem.path("budget").asText()).isEqualTo("user-daily-tokens");
        assertThat(problem.path("limit").asLong()).isEqualTo(300);
        assertThat(problem.path("used").asLong()).isEqualTo(300);
        assertThat(problem.path("requested").asLong()).isEqualTo(100);
        String midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        assertThat(problem.path("resetsAt").asText()).isEqualTo(midnight);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(rowCounts()).isEqualTo(before);
        // The search embedding is charged too.
        assertProblem(get("/api/v1/search?q=quarry", token), 429, "budget-exceeded");

        JsonNode mine = json(get("/api/v1/budgets", token));
        assertThat(line(mine, "user").path("tokens").path("remaining").asLong()).isZero();
        assertThat(line(mine, "tenant").path("tokens").path("remaining").asLong()).isEqualTo(700);
        assertThat(line(mine, "user").path("costUsd").path("limit").isNull()).isTrue();
        assertThat(mine.path("resetsAt").asText()).isEqualTo(midnight);

        String admin = TestTokens.forTenant(tenant, "admin");
        assertProblem(raise("/api/v1/admin/budgets/tenants/" + tenant + "/today", admin, 5000), 403, "forbidden");
        assertProblem(raise("/api/v1/admin/budgets/users/" + subject + "/today", token, 500), 403, "forbidden");
        HttpResponse<String> raised = raise("/api/v1/admin/budgets/users/" + subject + "/today", admin, 500);
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);

        assertThat(upload(token, 4).statusCode()).isEqualTo(202);
        assertThat(upload(token, 5).statusCode()).isEqualTo(202);
        assertThat(assertProblem(upload(token, 6), 429, "budget-exceeded").path("limit").asLong()).isEqualTo(500);
    }

    @Test
    void an_operator_raises_a_tenants_budget_for_the_day() {
        String tenant = "budget-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            String token = TestTokens.forSubject("user-" + i, tenant, List.of(), Map.of());
            assertThat(upload(token, i).statusCode()).isEqualTo(202);
        }
        String late = TestTokens.forSubject("late", tenant, List.of(), Map.of());
        assertProblem(upload(late, 10), 429, "budget-exceeded");

        String operator = TestTokens.forTenant("platform", "operator");
        HttpResponse<String> raised = raise("/api/v1/admin/budgets/tenants/" + tenant + "/today", operator, 1100);
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);

        assertThat(upload(late, 10).statusCode()).isEqualTo(202);
    }

    @Test
    void an_embedding_batch_is_charged_by_its_texts_bytes_and_refused_with_nothing_stored_over_the_budget() {
        String tenant = "budget-" + UUID.randomUUID();
        String token = TestTokens.forSubject("batcher", tenant, List.of(), Map.of());
        // Two texts of 200 bytes: 400 bytes, 100 tokens, whatever the JSON around them.
        String body = "{\"items\":[{\"id\":\"a\",\"text\":\"" + "a".repeat(200) + "\"},"
                + "{\"id\":\"b\",\"text\":\"" + "b".repeat(200) + "\"}]}";
        for (int i = 0; i < 3; i++) assertThat(batch(token, body).statusCode()).isEqualTo(202);
        assertThat(used("user", BudgetScope.key(BudgetScope.USER, tenant, "batcher"))).isEqualTo(300);
        int batches = jdbc.queryForObject("select count(*) from embedding_batches", Integer.class);
        Map<String, Integer> before = rowCounts();

        JsonNode problem = assertProblem(batch(token, body), 429, "budget-exceeded");

        assertThat(problem.path("budget").asText()).isEqualTo("user-daily-tokens");
        assertThat(problem.path("requested").asLong()).isEqualTo(100);
        assertThat(rowCounts()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from embedding_batches", Integer.class)).isEqualTo(batches);
    }

    private HttpResponse<String> batch(String token, String body) {
        return send(request("/api/v1/embeddings/batches", token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void a_re_ingest_a_content_replacement_and_a_bulk_re_ingest_are_charged_like_uploads() {
        String tenant = "budget-" + UUID.randomUUID();
        String subject = "user-" + UUID.randomUUID();
        String token = TestTokens.forSubject(subject, tenant, List.of(), Map.of());
        HttpResponse<String> uploaded = upload(token, 0);
        String documentId = json(uploaded).path("documentId").asText();
        String document = "/api/v1/documents/" + documentId;
        // No worker runs here: each job is cancelled while queued, so that the next one may start.
        cancel(json(uploaded).path("jobId").asText(), token);
        assertThat(remaining(token)).isEqualTo(200);

        cancel(accepted(send(request(document + "/reingest", token).header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.noBody()).build())), token);
        assertThat(remaining(token)).as("a re-ingest embeds the document again").isEqualTo(100);
        MultipartBody replacement = new MultipartBody().file("file", "doc.txt", "text/plain", FOUR_HUNDRED_BYTES);
        cancel(accepted(send(request(document + "/content", token).header("Idempotency-Key", key())
                .header("Content-Type", replacement.contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(replacement.bytes())).build())), token);
        assertThat(remaining(token)).as("a replacement embeds the new content").isZero();

        Map<String, Integer> before = rowCounts();
        JsonNode refused = assertProblem(send(request(document + "/reingest", token).header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 429, "budget-exceeded");
        assertThat(refused.path("budget").asText()).isEqualTo("user-daily-tokens");
        assertThat(refused.path("requested").asLong()).isEqualTo(100);
        String bulk = "{\"documentIds\": [\"" + documentId + "\"]}";
        assertProblem(bulkReingest(token, bulk), 429, "budget-exceeded");
        assertThat(rowCounts()).as("a refusal stores nothing").isEqualTo(before);

        String admin = TestTokens.forTenant(tenant, "tenant-admin");
        assertThat(raise("/api/v1/admin/budgets/users/" + subject + "/today", admin, 400).statusCode()).isEqualTo(200);
        HttpResponse<String> queued = bulkReingest(token, bulk);
        assertThat(json(queued).path("queued").asInt()).as(queued.body()).isEqualTo(1);
        assertThat(remaining(token)).isZero();
    }

    private HttpResponse<String> bulkReingest(String token, String body) {
        return send(request("/api/v1/documents/reingest", token).header("Idempotency-Key", key())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String accepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).path("jobId").asText();
    }

    private void cancel(String jobId, String token) {
        HttpResponse<String> cancelled = send(request("/api/v1/jobs/" + jobId + "/cancel", token)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
    }

    private long remaining(String token) {
        return line(json(get("/api/v1/budgets", token)), "user").path("tokens").path("remaining").asLong();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private HttpResponse<String> upload(String token, int i) {
        return upload(token, UUID.randomUUID().toString(),
                new MultipartBody().file("file", "doc-" + i + ".txt", "text/plain", FOUR_HUNDRED_BYTES));
    }

    private HttpResponse<String> raise(String path, String token, long tokens) {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"tokens\":" + tokens + "}")).build());
    }

    private long used(String scope, String key) {
        return jdbc.queryForObject("select tokens from budget_usage where scope = ? and key = ?", Long.class, scope, key);
    }

    private static JsonNode line(JsonNode view, String scope) {
        for (JsonNode line : view.path("budgets")) if (line.path("scope").asText().equals(scope)) return line;
        throw new AssertionError("no " + scope + " budget in " + view);
    }
}
