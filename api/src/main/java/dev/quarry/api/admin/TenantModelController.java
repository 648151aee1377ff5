package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.llm.LanguageModel;
import dev.quarry.llm.PgModelRegistry;
import dev.quarry.llm.RegisteredLanguageModels;
import dev.quarry.llm.UnknownModelException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Optional;

/**
 * A tenant's chat model, chosen from the model registry by the tenant's admins (an operator names the tenant):
 * every thread of the tenant without a model of its own is answered by it. It wins over the configured
 * defaults ({@code quarry.llm.tenant-defaults}, {@code quarry.llm.default-model}); a thread's choice wins over it.
 */
@RestController
@RequestMapping(TenantModelController.PATH)
class TenantModelController {
    static final String PATH = "/api/v1/admin/models/tenant-default";
    private final PgModelRegistry registry;
    private final RegisteredLanguageModels models;

    TenantModelController(PgModelRegistry registry, RegisteredLanguageModels models) {
        this.registry = registry;
        this.models = models;
    }

    record Choice(String provider, String model) {
    }

    /**
     * @param chosen    what the tenant's admins chose, or null
     * @param effective the model that answers a thread without a choice of its own; null: the extractive answer
     */
    record TenantModelView(String tenant, Choice chosen, Instant chosenAt, Choice effective) {
    }

    @Operation(summary = "The tenant's chosen chat model and the one that answers its threads now")
    @GetMapping
    TenantModelView get(Caller caller, @RequestParam(required = false) String tenant) {
        return view(tenantOf(caller, tenant));
    }

    @Operation(summary = "Choose the tenant's chat model from the registry", description = "Body: {provider, model}. "
            + "422 unknown-model (not installed, not registered or disabled), 422 model-not-configured (its provider "
            + "has no key).")
    @PutMapping
    TenantModelView choose(Caller caller, @RequestParam(required = false) String tenant,
                           @RequestBody(required = false) Choice body) {
        String scoped = tenantOf(caller, tenant);
        if (body == null || blank(body.provider()) || blank(body.model())) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "the body must be {\"provider\": …, \"model\": …}");
        }
        Optional<LanguageModel> model;
        try {
            model = models.resolve(body.provider().strip(), body.model().strip());
        } catch (UnknownModelException e) {
            throw new ApiProblem(ProblemKind.UNKNOWN_MODEL, e.getMessage());
        }
        if (model.isEmpty()) {
            throw new ApiProblem(ProblemKind.MODEL_NOT_CONFIGURED, "no key is configured for " + body.provider());
        }
        registry.chooseTenantDefault(scoped, model.get().provider(), model.get().model());
        return view(scoped);
    }

    @Operation(summary = "Forget the tenant's chosen model: the configured defaults answer again")
    @DeleteMapping
    TenantModelView clear(Caller caller, @RequestParam(required = false) String tenant) {
        String scoped = tenantOf(caller, tenant);
        registry.clearTenantDefault(scoped);
        return view(scoped);
    }

    private TenantModelView view(String tenant) {
        Optional<PgModelRegistry.TenantDefault> chosen = registry.tenantDefault(tenant);
        Choice effective;
        try {
            effective = models.defaultFor(tenant).map(m -> new Choice(m.provider(), m.model())).orElse(null);
        } catch (UnknownModelException e) {
            effective = null; // the chosen model was disabled since: a chat is refused until an admin chooses again
        }
        return new TenantModelView(tenant, chosen.map(c -> new Choice(c.provider(), c.model())).orElse(null),
                chosen.map(PgModelRegistry.TenantDefault::updatedAt).orElse(null), effective);
    }

    /** A tenant admin's own tenant, or the one an operator names (it must name one). */
    private static String tenantOf(Caller caller, String requested) {
        return TenantScope.subjectTenant(caller, requested);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
