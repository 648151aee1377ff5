package dev.quarry.llm;

import java.util.Optional;

/**
 * Finds the model a tenant or a thread asked for. Empty means no language model is configured for that
 * choice (no key), and the chat job answers extractively instead.
 *
 * @throws UnknownModelException for a provider or model nobody installed or registered
 */
public interface LanguageModels {
    Optional<LanguageModel> resolve(String provider, String model);

    /** The configured default for a tenant, or empty when none is configured (no key anywhere). */
    Optional<LanguageModel> defaultFor(String tenant);
}
