package dev.quarry.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingCatalogTest {
    private static final EmbeddingVersion CONFIGURED = new EmbeddingVersion("all-minilm-l6-v2-q@1", 384);
    private static final EmbeddingModel QUANTIZED = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private static EmbeddingCatalog catalog(String openAiKey) {
        return new EmbeddingCatalog(CONFIGURED, QUANTIZED, new EmbeddingProperties("minilm-q", null,
                new EmbeddingProperties.OpenAi(openAiKey, "http://127.0.0.1:9/v1", null, null)),
                openai -> QUANTIZED);
    }

    @Test
    void in_process_versions_are_known_with_their_dimensions() {
        EmbeddingCatalog catalog = catalog(null);
        assertThat(catalog.find("all-minilm-l6-v2-q@1")).contains(CONFIGURED);
        assertThat(catalog.find("all-minilm-l6-v2@1")).contains(new EmbeddingVersion("all-minilm-l6-v2@1", 384));
        assertThat(catalog.find("all-minilm-l6-v2@2")).isEmpty();
    }

    @Test
    void openai_versions_need_a_key_and_dimensions_an_index_can_hold() {
        assertThat(catalog(null).find("text-embedding-3-small-1536@1")).isEmpty();
        EmbeddingCatalog catalog = catalog("sk-test");
        assertThat(catalog.find("text-embedding-3-small-1536@1"))
                .contains(new EmbeddingVersion("text-embedding-3-small-1536@1", 1536));
        assertThat(catalog.find("text-embedding-3-small-512@2")).map(EmbeddingVersion::dimensions).contains(512);
        assertThat(catalog.find("text-embedding-3-large-1024@1")).map(EmbeddingVersion::dimensions).contains(1024);
        assertThat(catalog.find("text-embedding-ada-002-1536@1")).isPresent();
        assertThat(catalog.find("text-embedding-ada-002-512@1")).as("ada has fixed dimensions").isEmpty();
        assertThat(catalog.find("text-embedding-3-small-3072@1")).as("beyond the model").isEmpty();
        assertThat(catalog.find("text-embedding-3-large-3072@1")).as("beyond HNSW's 2,000").isEmpty();
    }

    @Test
    void malformed_or_unknown_tags_are_refused_naming_the_known_ones() {
        EmbeddingCatalog catalog = catalog(null);
        assertThat(catalog.find("x'; drop table chunks; --@1")).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
        assertThatThrownBy(() -> catalog.require("nonsense@1")).isInstanceOf(UnknownEmbeddingVersionException.class)
                .hasMessageContaining("all-minilm-l6-v2@1").hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void models_are_built_once_and_the_configured_one_is_reused() {
        EmbeddingCatalog catalog = catalog(null);
        assertThat(catalog.model(CONFIGURED)).isSameAs(QUANTIZED);
        EmbeddingVersion full = catalog.require("all-minilm-l6-v2@1");
        EmbeddingModel model = catalog.model(full);
        assertThat(catalog.model(full)).isSameAs(model).isNotSameAs(QUANTIZED);
        assertThat(model.embed("reindexing keeps search answering").content().dimension()).isEqualTo(384);
    }
}
