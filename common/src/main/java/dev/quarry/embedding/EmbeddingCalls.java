package dev.quarry.embedding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code quarry.embedding.calls{provider,caller,outcome}}: the embedding requests each caller makes, and how
 * they ended. Counted per request of the caller (a batch of an ingest, a reindex, or one search query), not
 * per model call: the batcher merges several callers' requests into one model call, and the question this
 * answers is "is ingest (or search) getting its vectors". The provider is {@code openai} or
 * {@code in-process}; a request withdrawn by its caller (a cancelled job) is not counted.
 */
public class EmbeddingCalls {
    /** Who asked for vectors. */
    public enum Caller {
        INGEST, REINDEX, SEARCH;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final EmbeddingCatalog catalog;
    private final MeterRegistry meters;

    EmbeddingCalls(EmbeddingCatalog catalog, MeterRegistry meters) {
        this.catalog = catalog;
        this.meters = meters;
    }

    /** Runs one request of {@code caller}'s and counts its outcome; what it throws is rethrown as it was. */
    public <T> T call(EmbeddingVersion version, Caller caller, Supplier<T> request) {
        boolean success = false;
        try {
            T result = request.get();
            success = true;
            return result;
        } finally {
            record(version, caller, success);
        }
    }

    void record(EmbeddingVersion version, Caller caller, boolean success) {
        Counter.builder("quarry.embedding.calls").description("Embedding requests, by provider, caller and outcome")
                .tag("provider", provider(version)).tag("caller", caller.tag())
                .tag("outcome", success ? "success" : "error")
                .register(meters).increment();
    }

    private String provider(EmbeddingVersion version) {
        return catalog.openAiModel(version.tag()).isPresent() ? "openai" : "in-process";
    }
}
