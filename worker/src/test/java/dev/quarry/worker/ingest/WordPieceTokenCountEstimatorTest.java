package dev.quarry.worker.ingest;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WordPieceTokenCountEstimatorTest {
    private static HuggingFaceTokenCountEstimator reference;
    private static WordPieceTokenCountEstimator estimator;

    @BeforeAll
    static void load() {
        reference = new HuggingFaceTokenCountEstimator();
        estimator = new WordPieceTokenCountEstimator();
    }

    @Test
    void counts_like_the_huggingface_tokenizer_on_prose_and_awkward_text() {
        List<String> texts = List.of(
                "experimental investigation of the aerodynamics of a wing in a slipstream .",
                "The Boundary-Layer equations (2.1)-(2.4) were solved numerically; see Fig. 3 & ref. [12].",
                "Café naïve résumé Ångström ÉCOLE — “quoted” ‘x’ … x² ½ ﬁ İstanbul ß straße",
                "東京タワー 한국어 Ελληνικά ΟΔΥΣΣΕΥΣ Русский текст العربية हिन्दी ไทย ¿Qué? ¡Sí! «Bonjour»",
                "emoji 😀👍🏽 👨‍👩‍👧 and symbols ©®™ € £ ¥ ± × ÷ ≤ ≥ ∞ µm °C",
                "snake_case_name camelCaseName C++ a->b x:=y foo@bar.com https://example.org/a?b=c#d",
                "tabs\tand\r\nnewlines\u000bvertical\u0007bell\u0000nul\u00adsoft\u200bzero\ufeffbom",
                "Supercalifragilisticexpialidocious" + "x".repeat(120) + " long word",
                "{\"json\": [1, 2.5, -3e10], \"nested\": {\"k\": null}}",
                "");
        for (String text : texts) {
            assertThat(estimator.estimateTokenCountInText(text)).as(text)
                    .isEqualTo(reference.estimateTokenCountInText(text));
        }
    }

    @Test
    void counts_like_the_huggingface_tokenizer_on_random_mixtures() {
        String[] alphabet = {"a", "e", "z", "Q", "é", "Ü", "ø", "ñ", "ß", "ж", "Ж", "λ", "Σ", "ش", "क", "ก", "中",
                "文", "カ", "한", "😀", "1", "9", ".", ",", "-", "'", "\"", "(", "$", "%", "_", "/", "—", "…", " ",
                " ", " ", " ", "\n", "\t", "\u00a0", "\u3000", "ﬃ", "Ⅻ", "①", "\u0301", "\u200d"};
        Random random = new Random(42);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(300);
            for (int j = 0; j < length; j++) text.append(alphabet[random.nextInt(alphabet.length)]);
            texts.add(text.toString());
        }
        for (String text : texts) {
            assertThat(estimator.estimateTokenCountInText(text)).as(text)
                    .isEqualTo(reference.estimateTokenCountInText(text));
        }
    }
}
