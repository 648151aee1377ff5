package dev.quarry.conversations;

import dev.quarry.llm.LanguageModel;
import dev.quarry.llm.LanguageModels;
import dev.quarry.llm.UnknownModelException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Which language model answers a thread: the provider and model the thread chose, else the tenant's default.
 * Without a {@link LanguageModels} bean (no provider installed) or without a configured default, the answer
 * is extractive (empty).
 */
@Component
public class ModelChoice {
    private final ObjectProvider<LanguageModels> models;

    /** Public for tests that run the chat job by hand with a registry of their own. */
    public ModelChoice(ObjectProvider<LanguageModels> models) {
        this.models = models;
    }

    /** A thread's choice that cannot answer: a provider that is installed but has no key. */
    public static class NotConfiguredException extends RuntimeException {
        public NotConfiguredException(String provider, String model) {
            super("no key is configured for " + provider + (model == null ? "" : "/" + model));
        }
    }

    /**
     * The model for the thread, strictly: what a new message is checked against before it is accepted.
     *
     * @throws UnknownModelException  for a provider or model nobody installed or registered
     * @throws NotConfiguredException for a chosen provider without a key
     */
    public Optional<LanguageModel> strict(Conversation thread) {
        return strict(thread.tenantId(), thread.provider(), thread.model());
    }

    /** As {@link #strict(Conversation)}, for a choice not stored yet (a blank name is no choice). */
    public Optional<LanguageModel> strict(String tenant, String provider, String model) {
        Optional<LanguageModel> chosen = lenient(tenant, blankToNull(provider), blankToNull(model));
        if (chosen.isEmpty() && blankToNull(provider) != null) throw new NotConfiguredException(provider, model);
        return chosen;
    }

    /**
     * The model for the thread as the job uses it: a key removed since the message was accepted means an
     * extractive answer rather than a failure.
     *
     * @throws UnknownModelException for a provider or model nobody installed or registered
     */
    public Optional<LanguageModel> lenient(Conversation thread) {
        return lenient(thread.tenantId(), thread.provider(), thread.model());
    }

    private Optional<LanguageModel> lenient(String tenant, String provider, String model) {
        LanguageModels registry = models.getIfAvailable();
        if (provider == null && model == null) {
            return registry == null ? Optional.empty() : registry.defaultFor(tenant);
        }
        if (registry == null) throw new UnknownModelException(provider, model);
        return registry.resolve(provider, model);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
