package dev.quarry.testing;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What every {@link EmbeddingModel} adapter Quarry uses must do, run once per adapter (a subclass names it):
 * the declared dimension, one vector per segment in the segments' order, the same vector for the same text,
 * nearer vectors for related texts, and the same refusals (an empty batch, a blank text, no batch). Callers rely on each
 * of these: the batcher splits and reassembles batches by position, the cache keys vectors by text, and
 * ingest checks the dimension against the version's column.
 */
public abstract class EmbeddingModelContract {
    private static final List<String> TEXTS = List.of(
            "supersonic flow over a swept wing",
            "heat transfer in a laminar boundary layer",
            "buckling of thin cylindrical shells under axial load",
            "shock wave interaction with a turbulent boundary layer",
            "vibration of a cantilever plate");

    private final EmbeddingModel model;
    private final int dimension;

    /** The adapter under test, and the dimension it is configured for (the version's vector column). */
    protected EmbeddingModelContract(EmbeddingModel model, int dimension) {
        this.model = model;
        this.dimension = dimension;
    }

    private EmbeddingModel model() {
        return model;
    }

    private int dimension() {
        return dimension;
    }

    @Test
    void declares_its_dimension_and_every_vector_has_it() {
        EmbeddingModel model = model();

        assertThat(model.dimension()).isEqualTo(dimension());
        assertThat(model.embedAll(segments(TEXTS)).content()).extracting(e -> e.vector().length)
                .containsOnly(dimension());
    }

    @Test
    void a_batch_gives_one_vector_per_segment_in_the_segments_order() {
        EmbeddingModel model = model();

        List<Embedding> batch = model.embedAll(segments(TEXTS)).content();

        assertThat(batch).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(cosine(batch.get(i), model.embed(TEXTS.get(i)).content())).as(TEXTS.get(i))
                    .isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void the_same_text_gives_the_same_vector() {
        EmbeddingModel model = model();

        Embedding first = model.embed(TEXTS.get(0)).content();
        Embedding again = model.embedAll(segments(List.of(TEXTS.get(1), TEXTS.get(0)))).content().get(1);

        assertThat(cosine(first, again)).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void related_texts_are_nearer_than_unrelated_ones() {
        List<Embedding> vectors = model().embedAll(segments(List.of("laminar boundary layer heat transfer",
                "heat transfer through a laminar boundary layer", "buckling of cylindrical shells"))).content();

        assertThat(cosine(vectors.get(0), vectors.get(1))).isLessThan(1.0 - 1e-4)
                .isGreaterThan(cosine(vectors.get(0), vectors.get(2)));
    }

    /**
     * The adapters disagree here: langchain4j's in-process models refuse an empty batch, the OpenAI adapter
     * answers it without a call. Both are allowed, anything else is not; callers never send one.
     */
    @Test
    void an_empty_batch_gives_no_vectors_or_is_refused() {
        EmbeddingModel model = model();

        try {
            assertThat(model.embedAll(List.of()).content()).isEmpty();
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageContaining("empty");
        }
    }

    @Test
    void a_blank_text_is_refused_before_it_reaches_the_model() {
        EmbeddingModel model = model();

        assertThatThrownBy(() -> model.embed("  \n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_missing_batch_is_refused() {
        EmbeddingModel model = model();

        assertThatThrownBy(() -> model.embedAll(null))
                .isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class);
    }

    protected static List<TextSegment> segments(List<String> texts) {
        return texts.stream().map(TextSegment::from).toList();
    }

    private static double cosine(Embedding a, Embedding b) {
        float[] x = a.vector();
        float[] y = b.vector();
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
