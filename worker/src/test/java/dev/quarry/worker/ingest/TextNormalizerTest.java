package dev.quarry.worker.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextNormalizerTest {
    private final TextNormalizer normalizer = new TextNormalizer();

    @Test
    void applies_nfkc() {
        assertThat(normalizer.normalize("ﬁnal ＡＢＣ １２３ x² Ⅻ")).isEqualTo("final ABC 123 x2 XII");
    }

    @Test
    void collapses_spaces_and_trims_lines_but_keeps_paragraphs() {
        assertThat(normalizer.normalize("  one \t two\u00a0\u00a0three  \r\n  next line \n\n\n\n  new   paragraph  "))
                .isEqualTo("one two three\nnext line\n\nnew paragraph");
    }

    @Test
    void drops_control_and_invisible_characters() {
        assertThat(normalizer.normalize("a\u0000b\u0007c soft\u00adhyphen zero\u200bwidth \ufeffbom \u202eltr"))
                .isEqualTo("abc softhyphen zerowidth bom ltr");
    }

    @Test
    void keeps_joiners_that_change_meaning() {
        assertThat(normalizer.normalize("👨\u200d👩\u200d👧")).isEqualTo("👨\u200d👩\u200d👧");
    }

    @Test
    void treats_unicode_line_separators_as_line_breaks() {
        assertThat(normalizer.normalize("a\u2028b\u2029\u2029c\fd")).isEqualTo("a\nb\n\nc\nd");
    }

    @Test
    void whitespace_only_text_becomes_empty() {
        assertThat(normalizer.normalize(" \n\t\u3000 ")).isEmpty();
    }
}
