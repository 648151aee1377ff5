package dev.quarry.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeywordQueryTest {

    @Test
    void plain_words_are_all_positive() {
        assertThat(KeywordQuery.parse("  heat transfer in  wings "))
                .isEqualTo(new KeywordQuery("heat transfer in wings", List.of(), List.of(), List.of()));
    }

    @Test
    void quoted_phrases_boost_and_are_still_scored_but_filter_nothing() {
        assertThat(KeywordQuery.parse("flow \"boundary layer\" plate"))
                .isEqualTo(new KeywordQuery("flow boundary layer plate", List.of(), List.of("boundary layer"), List.of()));
    }

    @Test
    void a_leading_plus_requires_a_word_or_a_phrase() {
        assertThat(KeywordQuery.parse("+\"boundary layer\" flow +plate"))
                .isEqualTo(new KeywordQuery("boundary layer flow plate", List.of("boundary layer", "plate"), List.of(),
                        List.of()));
    }

    @Test
    void a_leading_minus_excludes_a_word_or_a_phrase() {
        assertThat(KeywordQuery.parse("wing -flutter -\"wind tunnel\" lift"))
                .isEqualTo(new KeywordQuery("wing lift", List.of(), List.of(), List.of("flutter", "wind tunnel")));
    }

    @Test
    void unbalanced_syntax_degrades_to_words_instead_of_failing() {
        assertThat(KeywordQuery.parse("\"unclosed phrase")).isEqualTo(
                new KeywordQuery("unclosed phrase", List.of(), List.of("unclosed phrase"), List.of()));
        assertThat(KeywordQuery.parse("- lone minus + -"))
                .isEqualTo(new KeywordQuery("- lone minus + -", List.of(), List.of(), List.of()));
        assertThat(KeywordQuery.parse("\"\" -\"\" +\"\"")).isEqualTo(new KeywordQuery("", List.of(), List.of(), List.of()));
    }

    @Test
    void slashes_around_a_word_are_punctuation_not_a_file_path() {
        assertThat(KeywordQuery.parse("internal /slip flow/ and/or").positive()).isEqualTo("internal slip flow and/or");
    }
}
