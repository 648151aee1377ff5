package dev.quarry.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The real quantized model behind the batcher; a thin wrapper only records (and can hold) each call. */
class EmbeddingBatcherIT {
    private static EmbeddingModel model;
    private final List<Integer> callSizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstCallMayFinish = new CountDownLatch(1);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private EmbeddingBatcher batcher;
    private EmbeddingModel current;

    @BeforeAll
    static void load() {
        model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    @AfterEach
    void close() {
        firstCallMayFinish.countDown();
        if (batcher != null) batcher.close();
    }

    @Test
    void requests_that_arrive_during_a_call_share_the_next_one_and_get_their_own_vectors_back() throws Exception {
        use(recording(model), 64);
        CompletableFuture<List<Embedding>> first = embed(segments("first", 1));
        awaitFirstCall();
        List<CompletableFuture<List<Embedding>>> waiting = new ArrayList<>();
        for (int job = 0; job < 10; job++) waiting.add(embed(segments("job " + job, 3)));
        firstCallMayFinish.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).hasSize(1);
        for (int job = 0; job < 10; job++) {
            List<Embedding> vectors = waiting.get(job).get(30, TimeUnit.SECONDS);
            assertThat(vectors).hasSize(3);
            float[] alone = model.embed("job " + job + " segment 2 about wing loading").content().vector();
            assertThat(vectors.get(2).vector()).containsExactly(alone, within(1e-4f));
        }
        assertThat(callSizes).containsExactly(1, 30);
        assertThat(meters.get("quarry.embedding.segments").counter().count()).isEqualTo(31);
    }

    @Test
    void a_call_never_exceeds_the_limit_unless_one_request_alone_does() throws Exception {
        use(recording(model), 8);
        CompletableFuture<List<Embedding>> first = embed(segments("first", 1));
        awaitFirstCall();
        var a = embed(segments("a", 5));
        var b = embed(segments("b", 5));
        var big = embed(segments("big", 10));
        firstCallMayFinish.countDown();

        CompletableFuture.allOf(first, a, b, big).get(60, TimeUnit.SECONDS);
        assertThat(callSizes).containsExactly(1, 5, 5, 10);
    }

    @Test
    void a_failing_model_fails_the_requests_of_that_call() {
        EmbeddingModel broken = segments -> {
            throw new IllegalStateException("model down");
        };
        use(broken, 64);

        assertThatThrownBy(() -> embed(segments("x", 2)).get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("model down");
    }

    @Test
    void closing_fails_what_is_still_queued() {
        use(recording(model), 64);
        embed(segments("first", 1));
        awaitFirstCall();
        CompletableFuture<List<Embedding>> queued = embed(segments("queued", 2));

        batcher.close();
        firstCallMayFinish.countDown();

        assertThatThrownBy(() -> queued.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void requests_of_two_models_never_share_a_call_and_each_model_coalesces_its_own() throws Exception {
        use(recording(model), 64);
        List<Integer> otherCalls = new CopyOnWriteArrayList<>();
        EmbeddingModel other = segments -> {
            otherCalls.add(segments.size());
            return model.embedAll(segments);
        };
        CompletableFuture<List<Embedding>> first = embed(segments("first", 1));
        awaitFirstCall();
        var a1 = embed(segments("a1", 3));
        var b1 = batcher.embed(other, segments("b1", 2));
        var a2 = embed(segments("a2", 3));
        var b2 = batcher.embed(other, segments("b2", 2));
        firstCallMayFinish.countDown();

        CompletableFuture.allOf(first, a1, b1, a2, b2).get(60, TimeUnit.SECONDS);
        assertThat(callSizes).containsExactly(1, 6);
        assertThat(otherCalls).containsExactly(4);
        assertThat(b2.get()).hasSize(2);
        assertThat(a2.get()).hasSize(3);
    }

    private void use(EmbeddingModel model, int maxSegments) {
        current = model;
        batcher = new EmbeddingBatcher(maxSegments, meters);
    }

    private CompletableFuture<List<Embedding>> embed(List<TextSegment> segments) {
        return batcher.embed(current, segments);
    }

    /** The first call is under way (and held), so everything submitted now queues behind it. */
    private void awaitFirstCall() {
        await().atMost(Duration.ofSeconds(10)).until(() -> callSizes.size() == 1);
    }

    /** Records every call's size and holds the first call until the test lets it go. */
    private EmbeddingModel recording(EmbeddingModel delegate) {
        return new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                callSizes.add(segments.size());
                if (callSizes.size() == 1) {
                    try {
                        firstCallMayFinish.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return delegate.embedAll(segments);
            }
        };
    }

    private static List<TextSegment> segments(String prefix, int count) {
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) segments.add(TextSegment.from(prefix + " segment " + i + " about wing loading"));
        return segments;
    }
}
