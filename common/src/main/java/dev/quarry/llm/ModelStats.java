package dev.quarry.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Keeps the registry's live figures: the chat job calls {@link #completed} after each answer and
 * {@link #failed} when a call fails. A recording that fails is logged and dropped: stats never fail an answer.
 */
@Component
public class ModelStats {
    private static final Logger log = LoggerFactory.getLogger(ModelStats.class);
    private static final int MAX_ERROR_LENGTH = 500;
    private final PgModelRegistry registry;
    private final int window;

    public ModelStats(PgModelRegistry registry, LlmProperties properties) {
        this.registry = registry;
        this.window = properties.statsWindow();
    }

    /** @param latency from sending the prompt to the last token */
    public void completed(LanguageModel model, Duration latency, Completion completion) {
        try {
            registry.recordSuccess(model.provider(), model.model(), latency.toMillis(),
                    Math.max(0, completion.inputTokens()), Math.max(0, completion.outputTokens()), window);
        } catch (RuntimeException e) {
            log.warn("could not record the stats of {}/{}: {}", model.provider(), model.model(), e.toString());
        }
    }

    public void failed(LanguageModel model, LanguageModelException failure) {
        String error = (failure.transientFailure() ? "transient: " : "permanent: ") + failure.getMessage();
        try {
            registry.recordFailure(model.provider(), model.model(),
                    error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error);
        } catch (RuntimeException e) {
            log.warn("could not record a failure of {}/{}: {}", model.provider(), model.model(), e.toString());
        }
    }
}
