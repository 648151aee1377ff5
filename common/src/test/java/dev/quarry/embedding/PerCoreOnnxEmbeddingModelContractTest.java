package dev.quarry.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.quarry.testing.EmbeddingModelContract;

/** The per-core copy of the quantized in-process model that ingest embeds with. */
class PerCoreOnnxEmbeddingModelContractTest extends EmbeddingModelContract {
    // One copy for every test: each holds an ONNX session and a thread per core.
    private static final EmbeddingModel MODEL = PerCoreOnnxEmbeddingModel.of(new AllMiniLmL6V2QuantizedEmbeddingModel())
            .orElseThrow();

    PerCoreOnnxEmbeddingModelContractTest() {
        super(MODEL, 384);
    }
}
