package dev.quarry.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.FakeChatServer;
import dev.quarry.testing.FakeChatServer.Protocol;
import dev.quarry.testing.FakeChatServer.Reply;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link RegisteredLanguageModels} over the real registry table, with OpenAI configured against a local fake
 * and Anthropic and Gemini installed without keys; {@link ModelStats} and {@link CostCalculator} on what the
 * fake reported.
 */
@SpringBootTest(classes = CommonTestApplication.class)
class LanguageModelRegistryIT {
    private static final FakeChatServer server = FakeChatServer.start();
    private static final ChatPrompt PROMPT = new ChatPrompt(List.of(new ChatPrompt.PromptMessage("user", "hello")));

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
        registry.add("quarry.llm.openai.api-key", () -> FakeChatServer.API_KEY);
        registry.add("quarry.llm.openai.base-url", () -> server.baseUrl(Protocol.OPENAI));
        registry.add("quarry.llm.anthropic.api-key", () -> "");
        registry.add("quarry.llm.gemini.api-key", () -> "");
        registry.add("quarry.llm.tenant-defaults.gemini-tenant", () -> "gemini/gemini-2.0-flash");
        registry.add("quarry.llm.stats-window", () -> "3");
        registry.add("quarry.llm.prices[0].provider", () -> "openai");
        registry.add("quarry.llm.prices[0].model", () -> "gpt-4o-mini");
        registry.add("quarry.llm.prices[0].input-per-million", () -> "1.00");
        registry.add("quarry.llm.prices[0].output-per-million", () -> "4.00");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Autowired RegisteredLanguageModels models;
    @Autowired PgModelRegistry registry;
    @Autowired ModelStats stats;
    @Autowired CostCalculator costs;
    @Autowired ObjectMapper json;

    private String registered(String config) throws Exception {
        String name = "test-" + UUID.randomUUID();
        registry.register("openai", name, json.readTree(config), true);
        return name;
    }

    @Test
    void the_built_in_providers_are_installed_and_only_the_one_with_a_key_is_configured() {
        assertThat(models.providers()).extracting(LanguageModelProvider::name)
                .containsExactly("openai", "anthropic", "gemini");
        assertThat(models.providers()).extracting(LanguageModelProvider::configured)
                .containsExactly(true, false, false);
    }

    @Test
    void a_registered_model_of_a_provider_with_a_key_resolves_and_streams_with_its_configuration() throws Exception {
        String name = registered("{\"temperature\": 0.25, \"maxTokens\": 99}");

        LanguageModel model = models.resolve("openai", name).orElseThrow();
        Completion completion = model.stream(PROMPT, delta -> { });

        assertThat(completion.text()).isEqualTo("Quarry streams answers.");
        FakeChatServer.RecordedRequest request = server.requests().get(server.requests().size() - 1);
        assertThat(request.model()).isEqualTo(name);
        assertThat(request.body().path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(request.body().toString()).contains("99");
    }

    @Test
    void a_provider_without_a_key_resolves_to_empty_for_the_extractive_answer() {
        assertThat(models.resolve("anthropic", "claude-3-5-haiku-latest")).isEmpty();
        assertThat(models.defaultFor("gemini-tenant")).isEmpty();
    }

    @Test
    void an_unknown_provider_an_unregistered_model_and_a_disabled_model_are_unknown() throws Exception {
        assertThatThrownBy(() -> models.resolve("mistral", "small")).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> models.resolve("openai", "never-registered-" + UUID.randomUUID()))
                .isInstanceOf(UnknownModelException.class);
        String name = registered("{}");
        assertThat(models.resolve("openai", name)).isPresent();

        assertThat(registry.disable("openai", name)).isTrue();

        assertThatThrownBy(() -> models.resolve("openai", name)).isInstanceOf(UnknownModelException.class);
    }

    @Test
    void a_tenant_without_a_configured_default_gets_the_first_provider_with_a_key() {
        LanguageModel model = models.defaultFor("any-tenant").orElseThrow();

        assertThat(model.provider()).isEqualTo("openai");
        assertThat(model.model()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void an_invalid_configuration_is_refused_with_the_member_named() {
        assertThatThrownBy(() -> ModelConfig.parse(json.readTree("{\"apiKey\": \"sk-123\"}")))
                .isInstanceOf(InvalidModelConfigException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> ModelConfig.parse(json.readTree("{\"temperature\": 7}")))
                .isInstanceOf(InvalidModelConfigException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> ModelConfig.parse(json.readTree("{\"colour\": \"blue\"}")))
                .isInstanceOf(InvalidModelConfigException.class).hasMessageContaining("colour");
    }

    @Test
    void the_stats_keep_calls_failures_tokens_and_the_latency_percentiles_of_the_recent_window() throws Exception {
        String name = registered("{}");
        LanguageModel model = models.resolve("openai", name).orElseThrow();

        for (long ms : new long[]{5000, 100, 200, 300}) {
            stats.completed(model, Duration.ofMillis(ms), new Completion("x", 10, 2, "stop"));
        }
        server.enqueue(Reply.status(503));
        LanguageModelException failure = catchThrowableOfType(() -> model.stream(PROMPT, delta -> { }),
                LanguageModelException.class);
        stats.failed(model, failure);

        RegisteredModel.Stats recorded = registry.find("openai", name).orElseThrow().stats();
        assertThat(recorded.calls()).isEqualTo(5);
        assertThat(recorded.failures()).isEqualTo(1);
        assertThat(recorded.errorRate()).isEqualTo(0.2);
        assertThat(recorded.inputTokens()).isEqualTo(40);
        assertThat(recorded.outputTokens()).isEqualTo(8);
        // The window holds the last 3 latencies: the 5 s outlier has left it.
        assertThat(recorded.latencyP50Ms()).isEqualTo(200.0);
        assertThat(recorded.latencyP95Ms()).isEqualTo(290.0);
        assertThat(recorded.lastError()).startsWith("transient: ").contains("503");
        assertThat(recorded.lastUsedAt()).isNotNull();
    }

    @Test
    void the_cost_of_an_answer_follows_the_configured_price_and_the_list_price_defaults() {
        Completion completion = new Completion("answer", 2_000, 500, "stop");

        RequestCost configured = costs.cost("openai", "gpt-4o-mini", completion);
        RequestCost listed = costs.cost("anthropic", "claude-sonnet-4-0", completion);
        RequestCost unpriced = costs.cost("openai", "unpriced-model", completion);

        assertThat(configured.priced()).isTrue();
        assertThat(configured.inputCostUsd()).isEqualByComparingTo("0.002");
        assertThat(configured.outputCostUsd()).isEqualByComparingTo("0.002");
        assertThat(configured.totalCostUsd()).isEqualByComparingTo("0.004");
        assertThat(listed.totalCostUsd()).isEqualByComparingTo(new BigDecimal("0.0135"));
        assertThat(unpriced.priced()).isFalse();
        assertThat(unpriced.totalCostUsd()).isEqualByComparingTo("0");
        assertThat(unpriced.totalTokens()).isEqualTo(2_500);
    }
}
