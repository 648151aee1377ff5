package dev.quarry.api.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.FakeChatServer;
import dev.quarry.testing.FakeChatServer.Protocol;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which model answers, end to end through the API and a worker process, with OpenAI and Anthropic configured
 * against a local fake server that speaks both protocols (Gemini is installed without a key): the tenant's
 * model chosen by its admin from the registry, a thread's own choice over it, and back. A priced model's answer
 * carries its tokens and a cost above zero, and the registry's stats count its tokens.
 */
class ModelSwitchingIT extends ApiIntegrationTest {
    private static final FakeChatServer SERVER = FakeChatServer.start();
    private static final Map<String, String> PROVIDERS = Map.of(
            "quarry.llm.openai.api-key", FakeChatServer.API_KEY,
            "quarry.llm.openai.base-url", SERVER.baseUrl(Protocol.OPENAI),
            "quarry.llm.anthropic.api-key", FakeChatServer.API_KEY,
            "quarry.llm.anthropic.base-url", SERVER.baseUrl(Protocol.ANTHROPIC),
            "quarry.llm.gemini.api-key", "",
            "quarry.llm.default-model", "");
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("models", PROVIDERS);
    private static final String HAIKU = "claude-3-5-haiku-latest";
    private static final String MINI = "gpt-4o-mini";
    private static final String TENANT_MODEL = "/api/v1/admin/models/tenant-default";

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        PROVIDERS.forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    private final String tenant = "models-" + UUID.randomUUID();
    private final String admin = TestTokens.forTenant(tenant, "tenant-admin");
    private final String alice = TestTokens.forSubject("alice", tenant, List.of(), Map.of());

    @Test
    void the_tenants_chosen_model_answers_unless_the_thread_chose_another() throws Exception {
        JsonNode before = json(get(TENANT_MODEL, admin));
        assertThat(before.path("chosen").isNull()).isTrue();
        assertThat(before.path("effective").path("provider").asText()).isEqualTo("openai");

        JsonNode chosen = json(put(TENANT_MODEL, admin, "{\"provider\":\"anthropic\",\"model\":\"" + HAIKU + "\"}"));
        assertThat(chosen.path("chosen").path("model").asText()).isEqualTo(HAIKU);
        assertThat(chosen.path("effective").path("provider").asText()).isEqualTo("anthropic");

        String plain = thread("{\"title\":\"tenant's model\"}");
        String own = thread("{\"title\":\"own model\",\"provider\":\"openai\",\"model\":\"" + MINI + "\"}");

        assertThat(answeredBy(plain)).isEqualTo("anthropic/" + HAIKU);
        assertThat(lastRequest().protocol()).isEqualTo(Protocol.ANTHROPIC);
        assertThat(answeredBy(own)).isEqualTo("openai/" + MINI);
        assertThat(lastRequest().protocol()).isEqualTo(Protocol.OPENAI);

        // The thread drops its own choice: the tenant's model answers it again.
        assertThat(send(request("/api/v1/conversations/" + own, alice).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"provider\":\"\",\"model\":\"\"}")).build())
                .statusCode()).isEqualTo(200);
        assertThat(answeredBy(own)).isEqualTo("anthropic/" + HAIKU);

        // The admin forgets the choice: the first provider with a key answers again.
        JsonNode cleared = json(send(request(TENANT_MODEL, admin)
                .header("Idempotency-Key", UUID.randomUUID().toString()).DELETE().build()));
        assertThat(cleared.path("chosen").isNull()).isTrue();
        assertThat(answeredBy(plain)).isEqualTo("openai/" + MINI);
    }

    @Test
    void a_priced_models_answer_records_its_tokens_and_cost_and_the_registry_counts_them() throws Exception {
        JsonNode statsBefore = stats("openai", MINI);
        String thread = thread("{\"title\":\"priced\",\"provider\":\"openai\",\"model\":\"" + MINI + "\"}");

        JsonNode metadata = answer(thread).path("metadata");

        FakeChatServer.Answer reply = FakeChatServer.DEFAULT_ANSWER;
        assertThat(metadata.path("inputTokens").asInt()).isEqualTo(reply.inputTokens());
        assertThat(metadata.path("outputTokens").asInt()).isEqualTo(reply.outputTokens());
        assertThat(metadata.path("priced").asBoolean()).isTrue();
        // gpt-4o-mini's list price: 0.15 USD per million input tokens, 0.60 per million output tokens.
        BigDecimal expected = new BigDecimal("0.15").multiply(BigDecimal.valueOf(reply.inputTokens()))
                .add(new BigDecimal("0.60").multiply(BigDecimal.valueOf(reply.outputTokens())))
                .divide(BigDecimal.valueOf(1_000_000));
        assertThat(metadata.path("costUsd").decimalValue()).isPositive().isEqualByComparingTo(expected);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode after = stats("openai", MINI);
            assertThat(after.path("calls").asLong()).isGreaterThan(statsBefore.path("calls").asLong());
            assertThat(after.path("inputTokens").asLong() - statsBefore.path("inputTokens").asLong())
                    .isGreaterThanOrEqualTo(reply.inputTokens());
            assertThat(after.path("outputTokens").asLong() - statsBefore.path("outputTokens").asLong())
                    .isGreaterThanOrEqualTo(reply.outputTokens());
            assertThat(after.path("latencyP50Ms").isNull()).isFalse();
        });
    }

    @Test
    void a_tenant_model_that_cannot_answer_or_a_user_choosing_one_is_refused_and_changes_nothing() {
        assertProblem(put(TENANT_MODEL, admin, "{\"provider\":\"openai\",\"model\":\"never-registered\"}"),
                422, "unknown-model");
        assertProblem(put(TENANT_MODEL, admin, "{\"provider\":\"mistral\",\"model\":\"small\"}"),
                422, "unknown-model");
        assertProblem(put(TENANT_MODEL, admin, "{\"provider\":\"gemini\",\"model\":\"gemini-2.0-flash\"}"),
                422, "model-not-configured");
        assertProblem(put(TENANT_MODEL, admin, "{}"), 400, "invalid-parameter");
        assertProblem(put(TENANT_MODEL, alice, "{\"provider\":\"anthropic\",\"model\":\"" + HAIKU + "\"}"),
                403, "forbidden");
        assertProblem(put(TENANT_MODEL + "?tenant=another", admin,
                "{\"provider\":\"anthropic\",\"model\":\"" + HAIKU + "\"}"), 403, "forbidden");
        assertThat(jdbc.queryForObject("select count(*) from tenant_model_defaults where tenant_id in (?, 'another')",
                Integer.class, tenant)).isZero();
    }

    private JsonNode stats(String provider, String model) {
        for (JsonNode row : json(get("/api/v1/admin/models", admin))) {
            if (row.path("provider").asText().equals(provider) && row.path("model").asText().equals(model)) {
                return row.path("stats");
            }
        }
        throw new AssertionError(provider + "/" + model + " is not registered");
    }

    private FakeChatServer.RecordedRequest lastRequest() {
        List<FakeChatServer.RecordedRequest> requests = SERVER.requests();
        return requests.get(requests.size() - 1);
    }

    private String thread(String body) {
        HttpResponse<String> created = send(request("/api/v1/conversations", alice)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    /** "provider/model" of the answer to a new question in the thread. */
    private String answeredBy(String thread) {
        JsonNode metadata = answer(thread).path("metadata");
        assertThat(metadata.path("extractive").asBoolean()).isFalse();
        return metadata.path("provider").asText() + "/" + metadata.path("model").asText();
    }

    /** Asks a question in the thread and returns the stored answer once its CHAT job succeeded. */
    private JsonNode answer(String thread) {
        HttpResponse<String> accepted = send(request("/api/v1/conversations/" + thread + "/chat", alice)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Which model is this?\"}")).build());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String job = json(accepted).path("jobId").asText();
        await().atMost(Duration.ofMinutes(2)).until(() ->
                json(get("/api/v1/jobs/" + job, alice)).path("status").asText().equals("SUCCEEDED"));
        for (JsonNode message : json(get("/api/v1/conversations/" + thread + "/messages?limit=100", alice))
                .path("messages")) {
            if (message.path("role").asText().equals("assistant") && message.path("jobId").asText().equals(job)) {
                return message;
            }
        }
        throw new AssertionError("no answer stored for job " + job);
    }

    private HttpResponse<String> put(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
