package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.llm.ChatPrompt;
import dev.quarry.llm.Completion;
import dev.quarry.llm.LanguageModel;
import dev.quarry.llm.LanguageModelException;
import dev.quarry.llm.ModelStats;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The model registry's admin endpoints and the extensions listing: register, update, disable, with the
 * Idempotency-Key and the audit trail, and each bad input answered as a problem that stores nothing. The shared
 * context has no provider key unless the environment sets one: "configured" is asserted against the environment.
 */
class ModelRegistryIT extends ApiIntegrationTest {
    private final String operator = TestTokens.forTenant("ops-" + UUID.randomUUID(), "operator");
    private final String admin = TestTokens.forTenant("tenant-" + UUID.randomUUID(), "tenant-admin");
    private final String model = "test-model-" + UUID.randomUUID();
    @Autowired
    ModelStats stats;

    private HttpResponse<String> put(String path, String token, String key, String body) {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) request.header("Idempotency-Key", key);
        return send(request.build());
    }

    private HttpResponse<String> disable(String path, String token) {
        return send(request(path + "/disable", token).header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private JsonNode listed(String provider, String name) {
        for (JsonNode row : json(get("/api/v1/admin/models", admin))) {
            if (row.path("provider").asText().equals(provider) && row.path("model").asText().equals(name)) return row;
        }
        return null;
    }

    private int registryRows() {
        return jdbc.queryForObject("select count(*) from language_models", Integer.class);
    }

    @Test
    void an_operator_registers_updates_and_disables_a_model_and_admins_see_it_with_price_and_stats() {
        String path = "/api/v1/admin/models/openai/" + model;
        String key = UUID.randomUUID().toString();

        HttpResponse<String> created = put(path, operator, key, "{\"config\":{\"temperature\":0.3,\"maxTokens\":500}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> replayed = put(path, operator, key, "{\"config\":{\"temperature\":0.3,\"maxTokens\":500}}");
        assertThat(replayed.body()).isEqualTo(created.body());
        HttpResponse<String> updated = put(path, operator, UUID.randomUUID().toString(),
                "{\"config\":{\"temperature\":0.7}}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);

        JsonNode row = listed("openai", model);
        assertThat(row).isNotNull();
        assertThat(row.path("config").path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(row.path("config").has("maxTokens")).isFalse();
        assertThat(row.path("enabled").asBoolean()).isTrue();
        assertThat(row.path("providerConfigured").asBoolean()).isEqualTo(hasKey("OPENAI_API_KEY"));
        assertThat(row.path("price").isNull()).isTrue();
        assertThat(row.path("stats").path("calls").asLong()).isZero();
        assertThat(row.path("stats").path("latencyP50Ms").isNull()).isTrue();
        JsonNode seeded = listed("openai", "gpt-4o-mini");
        assertThat(seeded.path("price").path("inputPerMillion").decimalValue()).isEqualByComparingTo("0.15");
        assertThat(listed("anthropic", "claude-3-5-haiku-latest").path("providerConfigured").asBoolean())
                .isEqualTo(hasKey("ANTHROPIC_API_KEY"));

        HttpResponse<String> disabled = disable(path, operator);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(json(disabled).path("enabled").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from audit_entries where action = ? and target like ?",
                Integer.class, "PUT /api/v1/admin/models/{provider}/{model}", "%" + model + "%")).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from audit_entries where action = ?", Integer.class,
                "POST /api/v1/admin/models/{provider}/{model}/disable")).isPositive();
    }

    @Test
    void the_stats_the_system_records_after_each_answer_are_listed() {
        String path = "/api/v1/admin/models/anthropic/" + model;
        assertThat(put(path, operator, UUID.randomUUID().toString(), "{}").statusCode()).isEqualTo(201);
        LanguageModel answered = new RecordedOnly("anthropic", model);

        stats.completed(answered, Duration.ofMillis(120), new Completion("a", 30, 6, "stop"));
        stats.completed(answered, Duration.ofMillis(80), new Completion("b", 30, 4, "stop"));
        stats.failed(answered, new LanguageModelException("anthropic answered HTTP 529", true, null));

        JsonNode recorded = listed("anthropic", model).path("stats");
        assertThat(recorded.path("calls").asLong()).isEqualTo(3);
        assertThat(recorded.path("failures").asLong()).isEqualTo(1);
        assertThat(recorded.path("errorRate").asDouble()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(recorded.path("inputTokens").asLong()).isEqualTo(60);
        assertThat(recorded.path("outputTokens").asLong()).isEqualTo(10);
        assertThat(recorded.path("latencyP50Ms").asDouble()).isEqualTo(100.0);
        assertThat(recorded.path("latencyP95Ms").asDouble()).isEqualTo(118.0);
        assertThat(recorded.path("lastError").asText()).isEqualTo("transient: anthropic answered HTTP 529");
    }

    /** A model whose answers the test reports to the stats itself; it is never asked to stream. */
    private record RecordedOnly(String provider, String model) implements LanguageModel {
        @Override
        public Completion stream(ChatPrompt prompt, Consumer<String> deltas) {
            throw new UnsupportedOperationException("only its stats are recorded");
        }
    }

    @Test
    void an_unknown_provider_is_refused_and_nothing_is_stored() {
        int before = registryRows();

        JsonNode problem = assertProblem(put("/api/v1/admin/models/mistral/small", operator,
                UUID.randomUUID().toString(), "{}"), 422, "unknown-provider");

        assertThat(problem.path("detail").asText()).contains("mistral").contains("openai");
        assertThat(registryRows()).isEqualTo(before);
    }

    @Test
    void an_invalid_configuration_is_refused_and_nothing_is_stored() {
        String path = "/api/v1/admin/models/openai/" + model;
        int before = registryRows();

        assertThat(assertProblem(put(path, operator, UUID.randomUUID().toString(),
                "{\"config\":{\"apiKey\":\"sk-do-not-store\"}}"), 400, "invalid-model-config")
                .path("detail").asText()).contains("OPENAI_API_KEY");
        assertThat(assertProblem(put(path, operator, UUID.randomUUID().toString(),
                "{\"config\":{\"temperature\":\"hot\"}}"), 400, "invalid-model-config")
                .path("detail").asText()).contains("temperature");
        assertThat(assertProblem(put(path, operator, UUID.randomUUID().toString(), "{\"config\":[1,2]}"),
                400, "invalid-model-config").path("detail").asText()).contains("object");
        assertProblem(put("/api/v1/admin/models/openai/bad%20name", operator, UUID.randomUUID().toString(), "{}"),
                400, "invalid-parameter");

        assertThat(registryRows()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from language_models where config::text like '%sk-do-not%'",
                Integer.class)).isZero();
    }

    @Test
    void a_change_needs_the_operator_role_and_disabling_an_unregistered_model_is_not_found() {
        int before = registryRows();

        assertProblem(put("/api/v1/admin/models/openai/" + model, admin, UUID.randomUUID().toString(), "{}"),
                403, "forbidden");
        assertProblem(disable("/api/v1/admin/models/openai/" + model, operator), 404, "not-found");

        assertThat(registryRows()).isEqualTo(before);
    }

    @Test
    void the_extensions_are_listed_with_what_is_configured_and_no_key() {
        HttpResponse<String> response = get("/api/v1/admin/extensions", admin);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode extensions = json(response);
        assertThat(extensions.path("providers").findValuesAsText("name")).containsExactly("openai", "anthropic", "gemini");
        assertThat(extensions.path("providers").findValues("configured")).extracting(JsonNode::asBoolean)
                .containsExactly(hasKey("OPENAI_API_KEY"), hasKey("ANTHROPIC_API_KEY"), hasKey("GEMINI_API_KEY"));
        assertThat(extensions.path("providers").findValuesAsText("defaultModel"))
                .containsExactly("gpt-4o-mini", "claude-3-5-haiku-latest", "gemini-2.0-flash");
        assertThat(extensions.path("exporters").findValuesAsText("format"))
                .contains("markdown", "json", "zip", "pdf", "xlsx");
        assertThat(extensions.path("retrievalTools").findValuesAsText("name")).containsExactly("hybrid-search");
        assertThat(extensions.path("hotReload").asBoolean()).isFalse();
        assertThat(response.body()).doesNotContainIgnoringCase("apiKey");
    }

    private static boolean hasKey(String variable) {
        String value = System.getenv(variable);
        return value != null && !value.isBlank();
    }
}
