package dev.quarry.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.quarry.embedding.openai.OpenAiClientProperties;
import dev.quarry.embedding.openai.ResilientOpenAiEmbeddingModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Real model files on both sides: the per-core session must give the configured model's vectors. */
class PerCoreOnnxEmbeddingModelIT {

    @Test
    void gives_the_same_vectors_as_the_configured_quantized_model() {
        EmbeddingModel configured = new AllMiniLmL6V2QuantizedEmbeddingModel();
        EmbeddingModel perCore = PerCoreOnnxEmbeddingModel.of(configured).orElseThrow();
        List<TextSegment> segments = List.of(TextSegment.from("Laminar flow over a flat plate."),
                TextSegment.from("The pressure distribution on a swept wing at transonic speeds."),
                TextSegment.from("Heat transfer to a blunt body in hypersonic flow."));

        List<Embedding> expected = configured.embedAll(segments).content();
        List<Embedding> actual = perCore.embedAll(segments).content();

        assertThat(actual).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(actual.get(i).vector()).containsExactly(expected.get(i).vector(), within(1e-4f));
        }
        assertThat(perCore.dimension()).isEqualTo(384);
    }

    @Test
    void leaves_remote_models_alone() {
        EmbeddingModel remote = ResilientOpenAiEmbeddingModel.create("unused", "http://localhost:1/v1",
                "text-embedding-3-small", 384, new OpenAiClientProperties(null, null, null, null, null, null, null), null);

        assertThat(PerCoreOnnxEmbeddingModel.of(remote)).isEmpty();
    }
}
