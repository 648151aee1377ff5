package dev.quarry.testing;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link EmbeddingModel} for unit tests of code that embeds: the fake OpenAI server's vectors (deterministic,
 * unit length, nearer for texts sharing words) without a server or a model file, and a failure on demand.
 * {@code EmbeddingModelContract} holds it to the same contract as the real adapters.
 */
public final class FakeEmbeddingModel implements EmbeddingModel {
    private final int dimension;
    private final AtomicReference<RuntimeException> nextFailure = new AtomicReference<>();

    public FakeEmbeddingModel(int dimension) {
        this.dimension = dimension;
    }

    /** The next call throws {@code failure} instead of embedding. */
    public void failNextCallWith(RuntimeException failure) {
        nextFailure.set(failure);
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        RuntimeException failure = nextFailure.getAndSet(null);
        if (failure != null) throw failure;
        List<Embedding> vectors = segments.stream()
                .map(s -> Embedding.from(FakeEmbeddings.vectorFor(s.text(), dimension))).toList();
        int tokens = segments.stream().mapToInt(s -> FakeEmbeddings.tokenCount(s.text())).sum();
        return Response.from(vectors, new TokenUsage(tokens));
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String modelName() {
        return "fake-" + dimension;
    }
}
