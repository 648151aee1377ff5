package dev.quarry.llm;

import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link LanguageModels} of this process: the installed {@link LanguageModelProvider} beans, the models the
 * registry enables, the model a tenant's admins chose ({@link PgModelRegistry#tenantDefault}), and the defaults
 * of {@link LlmProperties}. A provider nobody installed, a model that is not
 * registered or is disabled: {@link UnknownModelException}. A known model whose provider has no key: empty,
 * and the chat job answers extractively.
 */
@Component
public class RegisteredLanguageModels implements LanguageModels {
    /** The built-in providers' order when no default is configured: the first with a key wins. */
    private static final List<String> PREFERENCE = List.of("openai", "anthropic", "gemini");
    private final Map<String, LanguageModelProvider> providers;
    private final PgModelRegistry registry;
    private final LlmProperties properties;
    /** Built models, by provider, model and configuration: a registry change builds a new one. */
    private final Map<String, LanguageModel> built = new ConcurrentHashMap<>();

    public RegisteredLanguageModels(List<LanguageModelProvider> installed, PgModelRegistry registry,
                                    LlmProperties properties) {
        Map<String, LanguageModelProvider> byName = new LinkedHashMap<>();
        installed.stream()
                .sorted((a, b) -> Integer.compare(rank(a.name()), rank(b.name())))
                .forEach(provider -> {
                    if (byName.putIfAbsent(provider.name(), provider) != null) {
                        throw new IllegalStateException("two language-model providers are named " + provider.name());
                    }
                });
        this.providers = Map.copyOf(byName);
        this.registry = registry;
        this.properties = properties;
    }

    /** The installed providers, the built-in ones first. */
    public Collection<LanguageModelProvider> providers() {
        return providers.values().stream().sorted((a, b) -> Integer.compare(rank(a.name()), rank(b.name())))
                .toList();
    }

    public Optional<LanguageModelProvider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    @Override
    public Optional<LanguageModel> resolve(String provider, String model) {
        LanguageModelProvider installed = providers.get(provider);
        if (installed == null) throw new UnknownModelException(provider, model);
        RegisteredModel registered = registry.find(provider, model).filter(RegisteredModel::enabled)
                .orElseThrow(() -> new UnknownModelException(provider, model));
        if (!installed.configured()) return Optional.empty();
        String key = provider + "\n" + model + "\n" + registered.config();
        return Optional.of(built.computeIfAbsent(key, k -> installed.model(model, registered.config())));
    }

    @Override
    public Optional<LanguageModel> defaultFor(String tenant) {
        if (tenant != null) {
            Optional<PgModelRegistry.TenantDefault> byAdmins = registry.tenantDefault(tenant);
            if (byAdmins.isPresent()) return resolve(byAdmins.get().provider(), byAdmins.get().model());
        }
        String chosen = tenant == null ? null : properties.tenantDefaults().get(tenant);
        if (chosen == null) chosen = properties.defaultModel();
        if (chosen != null) {
            int slash = chosen.indexOf('/');
            if (slash < 1) {
                throw new IllegalStateException("a default model is provider/model, e.g. openai/gpt-4o-mini, got "
                        + chosen);
            }
            return resolve(chosen.substring(0, slash), chosen.substring(slash + 1));
        }
        for (LanguageModelProvider provider : providers()) {
            if (provider.configured()) return resolve(provider.name(), provider.defaultModel());
        }
        return Optional.empty();
    }

    private static int rank(String name) {
        int index = PREFERENCE.indexOf(name);
        return index < 0 ? PREFERENCE.size() : index;
    }
}
