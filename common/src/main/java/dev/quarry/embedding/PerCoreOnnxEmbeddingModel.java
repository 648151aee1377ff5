package dev.quarry.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same in-process all-MiniLM-L6-v2 model files as the configured model, with ONNX Runtime threading
 * that suits many small calls: each inference runs on a single thread (no intra-op pool, no spinning),
 * and {@code embedAll} spreads segments over one thread per core.
 * <p>
 * Why: langchain4j builds its session with ONNX Runtime's defaults, an intra-op pool per session whose
 * threads spin while they wait. Under {@code embedAll}'s own per-core fan-out that oversubscribes the
 * cores, and between the batcher's calls the spinning burns CPU the rest of the job needs. Measured on
 * this 2-core machine with the quantized model on Cranfield abstracts: 15-16 ms of CPU per segment
 * instead of 27-33 ms, and 3x the throughput while other processes compete. The vectors are the same
 * model's; {@code PerCoreOnnxEmbeddingModelIT} checks them against the configured model.
 * <p>
 * Lives as long as the process, like langchain4j's own static model instances: its threads are daemons
 * and idle ones cost nothing.
 */
final class PerCoreOnnxEmbeddingModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder model;

    private PerCoreOnnxEmbeddingModel(ExecutorService executor, String modelResource, String tokenizerResource) {
        super(executor);
        this.model = load(modelResource, tokenizerResource);
    }

    /** A per-core copy of {@code configured} if it is one of the in-process models; empty otherwise (e.g. OpenAI). */
    static Optional<EmbeddingModel> of(EmbeddingModel configured) {
        if (configured instanceof AllMiniLmL6V2QuantizedEmbeddingModel) {
            return Optional.of(new PerCoreOnnxEmbeddingModel(perCoreExecutor(), "all-minilm-l6-v2-q.onnx",
                    "all-minilm-l6-v2-q-tokenizer.json"));
        }
        if (configured instanceof AllMiniLmL6V2EmbeddingModel) {
            return Optional.of(new PerCoreOnnxEmbeddingModel(perCoreExecutor(), "all-minilm-l6-v2.onnx",
                    "all-minilm-l6-v2-tokenizer.json"));
        }
        return Optional.empty();
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return model;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }

    private static OnnxBertBiEncoder load(String modelResource, String tokenizerResource) {
        ClassLoader loader = PerCoreOnnxEmbeddingModel.class.getClassLoader();
        try (InputStream modelBytes = loader.getResourceAsStream(modelResource);
             InputStream tokenizer = loader.getResourceAsStream(tokenizerResource);
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (modelBytes == null || tokenizer == null) {
                throw new IllegalStateException(modelResource + " is not on the classpath");
            }
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(modelBytes.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load " + modelResource, e);
        }
    }

    private static ExecutorService perCoreExecutor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), task -> {
            Thread thread = new Thread(task, "embedding-onnx-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
