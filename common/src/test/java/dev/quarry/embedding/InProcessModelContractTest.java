package dev.quarry.embedding;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.quarry.testing.EmbeddingModelContract;
import org.junit.jupiter.api.Nested;

/** The in-process ONNX models of {@code quarry.embedding.provider} {@code minilm-q} (the default) and {@code minilm}. */
class InProcessModelContractTest {

    @Nested
    class Quantized extends EmbeddingModelContract {
        Quantized() {
            super(new AllMiniLmL6V2QuantizedEmbeddingModel(), 384);
        }
    }

    @Nested
    class Full extends EmbeddingModelContract {
        Full() {
            super(new AllMiniLmL6V2EmbeddingModel(), 384);
        }
    }
}
