package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * A registered model's configuration, the registry's JSONB {@code config}, checked. Every provider understands
 * these members; any other member is refused, so a typo fails at registration instead of being ignored at
 * chat time, and a key can never be stored in the database (keys come only from the environment).
 *
 * @param temperature null: the provider's default
 * @param maxTokens   null: {@code quarry.llm.<provider>.max-tokens}
 * @param topP        null: the provider's default
 * @param timeout     null: {@code quarry.llm.<provider>.timeout}
 */
public record ModelConfig(Double temperature, Integer maxTokens, Double topP, Duration timeout) {
    public static final ModelConfig DEFAULTS = new ModelConfig(null, null, null, null);
    private static final Set<String> MEMBERS = Set.of("temperature", "maxTokens", "topP", "timeout");

    /** @throws InvalidModelConfigException naming the member that is wrong */
    public static ModelConfig parse(JsonNode config) {
        if (config == null || config.isNull() || config.isMissingNode()) return DEFAULTS;
        if (!config.isObject()) throw new InvalidModelConfigException("config must be a JSON object");
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (MEMBERS.contains(name)) continue;
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.contains("key") || lower.contains("secret") || lower.contains("token") || lower.contains("password")) {
                throw new InvalidModelConfigException("config may not hold credentials (" + name + "): keys come "
                        + "only from the environment, e.g. OPENAI_API_KEY");
            }
            throw new InvalidModelConfigException("unknown config member " + name + "; known: " + MEMBERS);
        }
        return new ModelConfig(
                number(config, "temperature", 0, 2),
                integer(config, "maxTokens", 1, 1_000_000),
                number(config, "topP", 0, 1),
                duration(config, "timeout"));
    }

    private static Double number(JsonNode config, String name, double min, double max) {
        JsonNode value = config.get(name);
        if (value == null || value.isNull()) return null;
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw new InvalidModelConfigException(name + " must be a number from " + min + " to " + max);
        }
        return value.asDouble();
    }

    private static Integer integer(JsonNode config, String name, int min, int max) {
        JsonNode value = config.get(name);
        if (value == null || value.isNull()) return null;
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw new InvalidModelConfigException(name + " must be a whole number from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static Duration duration(JsonNode config, String name) {
        JsonNode value = config.get(name);
        if (value == null || value.isNull()) return null;
        try {
            Duration duration = value.isTextual() ? Duration.parse(value.asText()) : null;
            if (duration != null && !duration.isNegative() && !duration.isZero()
                    && duration.compareTo(Duration.ofMinutes(30)) <= 0) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new InvalidModelConfigException(name + " must be an ISO-8601 duration up to PT30M, e.g. PT60S");
    }
}
