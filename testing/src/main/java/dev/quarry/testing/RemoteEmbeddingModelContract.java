package dev.quarry.testing;

import dev.langchain4j.model.embedding.EmbeddingModel;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link EmbeddingModelContract} for adapters that call out of the process (and the fake that stands in
 * for them), which can fail: a failed call surfaces as the exception the adapter documents, unchecked, so
 * that ingest's failure classification sees it and the job is retried.
 */
public abstract class RemoteEmbeddingModelContract extends EmbeddingModelContract {

    protected RemoteEmbeddingModelContract(EmbeddingModel model, int dimension) {
        super(model, dimension);
    }

    /** A call that fails the way the provider can fail (e.g. every request answered 500), and its documented exception. */
    protected abstract Failure failure();

    public record Failure(ThrowingCallable call, Class<? extends RuntimeException> documented) {
    }

    @Test
    void a_failed_call_surfaces_as_the_documented_exception() {
        Failure failure = failure();

        assertThatThrownBy(failure.call()).isInstanceOf(failure.documented());
    }
}
