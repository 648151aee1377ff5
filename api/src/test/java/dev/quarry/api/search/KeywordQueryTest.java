package dev.quarry.api.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeywordQueryTest {

    @Test
    void plain_words_are_all_positive() {
        assertThat(KeywordQuery.parse("  heat transfer in  wings "))
                .isEqualTo(new KeywordQuery("heat transfer in wings", List.of(), List.of()));
    }

    @Test
    void quoted_phrases_are_required_and_still_scored() {
        assertThat(KeywordQuery.parse("flow \"boundary layer\" plate"))
                .isEqualTo(new KeywordQuery("flow boundary layer plate", List.of("boundary layer"), List.of()));
    }

    @Test
    void a_leading_minus_excludes_a_word_or_a_phrase() {
        assertThat(KeywordQuery.parse("wing -flutter -\"wind tunnel\" lift"))
                .isEqualTo(new KeywordQuery("wing lift", List.of(), List.of("flutter", "wind tunnel")));
    }

    @Test
    void unbalanced_syntax_degrades_to_words_instead_of_failing() {
        assertThat(KeywordQuery.parse("\"unclosed phrase")).isEqualTo(
                new KeywordQuery("unclosed phrase", List.of("unclosed phrase"), List.of()));
        assertThat(KeywordQuery.parse("- lone minus -")).isEqualTo(new KeywordQuery("- lone minus -", List.of(), List.of()));
        assertThat(KeywordQuery.parse("\"\" -\"\"")).isEqualTo(new KeywordQuery("", List.of(), List.of()));
    }
}
