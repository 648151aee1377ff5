package dev.quarry.worker.ingest;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TextChunkerTest {
    /** all-MiniLM-L6-v2 reads at most 256 word pieces, [CLS] and [SEP] included. */
    private static final int MODEL_WINDOW = 256;
    private static final int SPECIAL_TOKENS = 2;
    private static final int MAX_CHARS = 2000;

    private static HuggingFaceTokenCountEstimator modelTokenizer;
    private static TextChunker chunker;

    @BeforeAll
    static void load() {
        modelTokenizer = new HuggingFaceTokenCountEstimator();
        chunker = new TextChunker(new WordPieceTokenCountEstimator(), 240, 40, MAX_CHARS);
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
    void a_45_mb_single_word_is_cut_into_bounded_chunks_that_keep_every_character() {
        String word = "ACGT".repeat(45_000_000 / 4);

        List<Chunk> chunks = chunker.chunk(word);

        assertBounded(chunks);
        assertThat(chunks.size()).isGreaterThanOrEqualTo(45_000_000 / MAX_CHARS);
        assertThat(chunks.stream().mapToLong(c -> c.text().length()).sum()).isEqualTo(word.length());
        assertThat(chunks.get(0).text()).startsWith("ACGTACGT");
    }

    @Test
    void a_5_mb_line_of_minified_code_is_cut_into_bounded_chunks() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; code.length() < 5_000_000; i++) {
            code.append("function f").append(i).append("(a,b){return a*b+").append(i).append("};var v")
                    .append(i).append("=f").append(i).append("(1,2);");
        }

        List<Chunk> chunks = chunker.chunk(code.toString());

        assertBounded(chunks);
        // The splitter joins words with single spaces, so compare what the text holds apart from spaces.
        String joined = chunks.stream().map(Chunk::text).collect(Collectors.joining()).replace(" ", "");
        assertThat(joined.equals(code.toString().replace(" ", ""))).as("every character kept, in order").isTrue();
    }

    @Test
    void a_20_mb_base64_blob_on_one_line_is_cut_into_bounded_chunks() {
        String blob = Base64.getEncoder().encodeToString(randomBytes(15_000_000));

        List<Chunk> chunks = chunker.chunk(blob);

        assertThat(blob.length()).isEqualTo(20_000_000);
        assertBounded(chunks);
        assertThat(chunks.stream().map(Chunk::text).collect(Collectors.joining()).equals(blob))
                .as("every character kept, in order").isTrue();
    }

    @Test
    void a_base64_blob_wrapped_in_lines_is_cut_into_bounded_chunks() {
        String blob = Base64.getMimeEncoder().encodeToString(randomBytes(1_500_000));

        assertBounded(chunker.chunk(blob));
    }

    @Test
    void a_long_run_inside_prose_is_cut_and_the_prose_around_it_kept() {
        String text = "The opening sentence about tides. " + "Z".repeat(10_000) + " The closing sentence about moons.";

        List<Chunk> chunks = chunker.chunk(text);

        assertBounded(chunks);
        assertThat(chunks.get(0).text()).contains("The opening sentence about tides.");
        assertThat(chunks.get(chunks.size() - 1).text()).contains("The closing sentence about moons.");
    }

    @Test
    void blank_text_has_no_chunks() {
        assertThat(chunker.chunk(" \n ")).isEmpty();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    private static void assertBounded(List<Chunk> chunks) {
        assertThat(chunks).isNotEmpty();
        for (Chunk chunk : chunks) {
            assertThat(chunk.text().length()).isLessThanOrEqualTo(MAX_CHARS);
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(240);
        }
        assertThat(chunks).extracting(Chunk::ordinal)
                .containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
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
