package dev.quarry.embedding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The telemetry of the embedding requests each caller makes: {@code quarry.embedding.calls{provider,caller,outcome}}
 * and one span per request, a child of the caller's span (an ingest's embed step, a reindex, a search). Counted
 * per request of the caller (a batch of an ingest or a reindex, one search query), not per model call: the
 * batcher merges several callers' requests into one model call, and the question this answers is "is ingest
 * (or search) getting its vectors". The provider is {@code openai} or {@code in-process}; a request withdrawn by
 * its caller (a cancelled job) is not counted.
 */
public class EmbeddingCalls {
    /** Who asked for vectors. */
    public enum Caller {
        INGEST, REINDEX, SEARCH, BATCH;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final EmbeddingCatalog catalog;
    private final MeterRegistry meters;
    private final Tracer tracer;

    EmbeddingCalls(EmbeddingCatalog catalog, MeterRegistry meters, Tracer tracer) {
        this.catalog = catalog;
        this.meters = meters;
        this.tracer = tracer;
    }

    /** Runs one request of {@code caller}'s on this thread; what it throws is rethrown as it was. */
    public <T> T call(EmbeddingVersion version, Caller caller, Supplier<T> request) {
        Span span = start(version, caller, 1);
        boolean success = false;
        try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
            T result = request.get();
            success = true;
            return result;
        } catch (RuntimeException | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
            record(version, caller, success);
        }
    }

    /**
     * Follows a request that another thread serves (the batcher's): its span starts now, under the caller's
     * current span, and ends, like the count, when the request completes.
     */
    <T> void track(EmbeddingVersion version, Caller caller, int texts, CompletableFuture<T> request) {
        Span span = start(version, caller, texts);
        request.whenComplete((result, failure) -> {
            if (failure != null) span.error(failure);
            span.end();
            if (!request.isCancelled()) record(version, caller, failure == null);
        });
    }

    private Span start(EmbeddingVersion version, Caller caller, int texts) {
        return tracer.nextSpan().name("embedding call").tag("quarry.embedding.caller", caller.tag())
                .tag("quarry.embedding.provider", provider(version)).tag("quarry.embedding.texts", texts).start();
    }

    private void record(EmbeddingVersion version, Caller caller, boolean success) {
        Counter.builder("quarry.embedding.calls").description("Embedding requests, by provider, caller and outcome")
                .tag("provider", provider(version)).tag("caller", caller.tag())
                .tag("outcome", success ? "success" : "error")
                .register(meters).increment();
    }

    private String provider(EmbeddingVersion version) {
        return catalog.openAiModel(version.tag()).isPresent() ? "openai" : "in-process";
    }
}
