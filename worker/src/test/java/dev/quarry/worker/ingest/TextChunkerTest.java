package dev.quarry.worker.ingest;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TextChunkerTest {
    /** all-MiniLM-L6-v2 reads at most 256 word pieces, [CLS] and [SEP] included. */
    private static final int MODEL_WINDOW = 256;
    private static final int SPECIAL_TOKENS = 2;

    private static HuggingFaceTokenCountEstimator modelTokenizer;
    private static TextChunker chunker;

    @BeforeAll
    static void load() {
        modelTokenizer = new HuggingFaceTokenCountEstimator();
        chunker = new TextChunker(new WordPieceTokenCountEstimator(), 240, 40);
    }

    @Test
    void short_text_is_one_chunk_with_its_token_count() {
        List<Chunk> chunks = chunker.chunk("A short abstract about boundary layers.");

        assertThat(chunks).containsExactly(new Chunk(0, "A short abstract about boundary layers.",
                modelTokenizer.estimateTokenCountInText("A short abstract about boundary layers.")));
    }

    @Test
    void no_chunk_exceeds_the_models_window_as_the_model_counts() {
        for (String text : List.of(prose(3000), oneHugeParagraph(2500), wordSoup(4000), unbrokenRun(3000))) {
            List<Chunk> chunks = chunker.chunk(text);

            assertThat(chunks.size()).isGreaterThan(1);
            for (Chunk chunk : chunks) {
                int modelTokens = modelTokenizer.estimateTokenCountInText(chunk.text());
                assertThat(modelTokens + SPECIAL_TOKENS).as(chunk.text()).isLessThanOrEqualTo(MODEL_WINDOW);
                assertThat(chunk.tokenCount()).isEqualTo(modelTokens).isLessThanOrEqualTo(240);
            }
        }
    }

    @Test
    void ordinals_run_from_zero_without_gaps() {
        List<Chunk> chunks = chunker.chunk(prose(2000));

        assertThat(chunks).extracting(Chunk::ordinal).containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
    }

    @Test
    void neighbouring_chunks_overlap() {
        List<Chunk> chunks = chunker.chunk(prose(2000));

        assertThat(chunks.size()).isGreaterThan(2);
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String next = chunks.get(i).text();
            String firstSentenceOfNext = next.substring(0, next.indexOf('.') + 1);
            assertThat(previous).as("chunk %d starts with the end of chunk %d", i, i - 1).contains(firstSentenceOfNext);
        }
    }

    @Test
    void every_sentence_ends_up_in_some_chunk() {
        String text = prose(1500);
        String all = chunker.chunk(text).stream().map(Chunk::text).collect(Collectors.joining(" "));

        for (String sentence : text.split("(?<=\\.) ")) {
            assertThat(all).contains(sentence.strip());
        }
    }

    @Test
    void blank_text_has_no_chunks() {
        assertThat(chunker.chunk(" \n ")).isEmpty();
    }

    /** Numbered sentences of ~12 word pieces in paragraphs of five. */
    private static String prose(int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() / 6 < words; i++) {
            text.append("Sentence ").append(i).append(" describes the pressure distribution over a swept wing.");
            text.append(i % 5 == 4 ? "\n\n" : " ");
        }
        return text.toString().strip();
    }

    private static String oneHugeParagraph(int words) {
        return prose(words).replace("\n\n", " ");
    }

    /** No sentence ends at all: the splitter must fall back to words. */
    private static String wordSoup(int words) {
        Random random = new Random(7);
        String[] vocabulary = {"flow", "laminar", "turbulence", "ångström", "naïve", "x²", "中文", "quasi-steady",
                "thermodynamics", "μ", "hypersonic", "😀", "(re)entry", "3.14159"};
        return IntStream.range(0, words).mapToObj(i -> vocabulary[random.nextInt(vocabulary.length)])
                .collect(Collectors.joining(" "));
    }

    /** No space at all, but a token every character or two: the splitter must fall back to characters. */
    private static String unbrokenRun(int repeats) {
        return "x=1;".repeat(repeats);
    }
}
