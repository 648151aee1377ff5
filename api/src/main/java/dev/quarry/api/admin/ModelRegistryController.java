package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.llm.InvalidModelConfigException;
import dev.quarry.llm.LanguageModelProvider;
import dev.quarry.llm.PgModelRegistry;
import dev.quarry.llm.PriceTable;
import dev.quarry.llm.RegisteredLanguageModels;
import dev.quarry.llm.RegisteredModel;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The model registry: which chat models may be used, their configuration, price and live stats. The registry
 * holds for every tenant, so admins read it and only operators change it (audited by {@code AuditedRequests}
 * like every mutating call; the Idempotency-Key filter makes a retried change safe).
 */
@RestController
@RequestMapping("/api/v1/admin/models")
class ModelRegistryController {
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}");
    private final PgModelRegistry registry;
    private final RegisteredLanguageModels models;
    private final PriceTable prices;

    ModelRegistryController(PgModelRegistry registry, RegisteredLanguageModels models, PriceTable prices) {
        this.registry = registry;
        this.models = models;
        this.prices = prices;
    }

    /** @param enabled absent: true */
    record ModelChange(JsonNode config, Boolean enabled) {
    }

    /** USD per million tokens, from the price table (list prices unless configured). */
    record PriceView(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    }

    /**
     * @param providerInstalled false for a model registered for a provider this process does not have
     * @param providerConfigured whether the provider has its key: without one the chat answers extractively
     * @param price              null when the price table has no entry (the model then costs 0)
     */
    record ModelView(String provider, String model, JsonNode config, boolean enabled, boolean providerInstalled,
                     boolean providerConfigured, PriceView price, RegisteredModel.Stats stats, Instant createdAt,
                     Instant updatedAt) {
    }

    @Operation(summary = "The registered models with their configuration, price and live stats (latency p50/p95, "
            + "error rate, tokens)")
    @GetMapping
    List<ModelView> list() {
        return registry.list().stream().map(this::view).toList();
    }

    @Operation(summary = "Register a model, or replace its configuration and enabled flag; operators only. "
            + "Body: {\"config\": {\"temperature\": 0.2, \"maxTokens\": 800, \"topP\": 1, \"timeout\": \"PT60S\"}, "
            + "\"enabled\": true}")
    @PutMapping("/{provider}/{model}")
    ResponseEntity<ModelView> register(Caller caller, @PathVariable String provider, @PathVariable String model,
                                       @RequestBody(required = false) ModelChange change) {
        requireOperator(caller);
        LanguageModelProvider installed = installed(provider);
        if (!MODEL_NAME.matcher(model).matches()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER,
                    "a model name is 1 to 200 of letters, digits and . _ : @ -, starting with a letter or digit");
        }
        ModelChange body = change == null ? new ModelChange(null, null) : change;
        try {
            installed.validate(body.config());
        } catch (InvalidModelConfigException e) {
            throw new ApiProblem(ProblemKind.INVALID_MODEL_CONFIG, e.getMessage());
        }
        PgModelRegistry.Registration registration = registry.register(provider, model, body.config(),
                body.enabled() == null || body.enabled());
        return ResponseEntity.status(registration.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(view(registration.model()));
    }

    @Operation(summary = "Disable a model: chats that ask for it are refused as an unknown model; operators only")
    @PostMapping("/{provider}/{model}/disable")
    ModelView disable(Caller caller, @PathVariable String provider, @PathVariable String model) {
        requireOperator(caller);
        if (!registry.disable(provider, model)) throw ApiProblem.notFound("model", provider + "/" + model);
        return view(registry.find(provider, model).orElseThrow());
    }

    private LanguageModelProvider installed(String provider) {
        return models.provider(provider).orElseThrow(() -> new ApiProblem(ProblemKind.UNKNOWN_PROVIDER,
                "no language-model provider named " + provider + " is installed; installed: "
                        + models.providers().stream().map(LanguageModelProvider::name).toList()));
    }

    private ModelView view(RegisteredModel model) {
        var provider = models.provider(model.provider());
        PriceView price = prices.find(model.provider(), model.model())
                .map(p -> new PriceView(p.inputPerMillion(), p.outputPerMillion())).orElse(null);
        return new ModelView(model.provider(), model.model(), model.config(), model.enabled(), provider.isPresent(),
                provider.map(LanguageModelProvider::configured).orElse(false), price, model.stats(),
                model.createdAt(), model.updatedAt());
    }

    private static void requireOperator(Caller caller) {
        if (!caller.isOperator()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN,
                    "the model registry holds for every tenant: only an operator changes it");
        }
    }
}
