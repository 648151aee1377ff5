package dev.quarry.worker.ingest;

import dev.quarry.text.SectionMarks;
import org.apache.tika.sax.ToTextContentHandler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Heading marks through normalization, into sections with their paths, and out of a Markdown text. */
class SectionsTest {
    private static String heading(int level, String words) {
        return SectionMarks.mark(level) + words;
    }

    @Test
    void a_heading_closes_the_open_headings_of_its_level_and_deeper() {
        String text = String.join("\n", "Before any heading.", heading(1, "Guide"), "Intro.", heading(2, "Install"),
                heading(3, "Linux"), "Apt.", heading(3, "Windows"), "Msi.", heading(2, "Operate"), "Run it.");

        List<Sections.Section> sections = Sections.split(text);

        assertThat(sections).extracting(Sections.Section::path).containsExactly(null, "Guide", "Guide > Install > Linux",
                "Guide > Install > Windows", "Guide > Operate");
        // The heading "Install" has no text of its own: its line goes with the next section, nothing is lost.
        assertThat(sections.get(2).text()).isEqualTo("Install\nLinux\nApt.");
        assertThat(sections.get(4).text()).isEqualTo("Operate\nRun it.");
    }

    @Test
    void the_normalizer_keeps_a_mark_only_at_the_start_of_a_line() {
        String text = new TextNormalizer().normalize("  " + heading(2, "Install  here") + " \n\nword " + SectionMarks.mark(1) + "inside");

        assertThat(text).isEqualTo(heading(2, "Install here") + "\n\nword inside");
    }

    @Test
    void markdown_headings_are_marked_but_not_inside_a_code_fence() {
        String marked = MarkdownHeadings.mark("# Guide\n\nText.\n\n```sh\n# a shell comment\n```\n\n## Install ##\nMore.");

        assertThat(marked).isEqualTo(heading(1, "Guide") + "\n\nText.\n\n```sh\n# a shell comment\n```\n\n"
                + heading(2, "Install") + "\nMore.");
    }

    @Test
    void a_text_without_headings_is_chunked_as_before_without_a_path() {
        TextChunker chunker = new TextChunker(new WordPieceTokenCountEstimator(), 240, 40, 2000);

        assertThat(new SectionChunker(chunker).chunk("Plain text.")).containsExactly(new Chunk(0, "Plain text.", 3));
    }

    @Test
    void a_documents_own_private_use_marks_do_not_become_headings() throws Exception {
        ToTextContentHandler out = new ToTextContentHandler();
        HeadingMarks marks = new HeadingMarks(out);
        char[] own = (SectionMarks.mark(1) + "Fake heading").toCharArray();

        marks.characters(own, 0, own.length);

        assertThat(Sections.hasHeadings(out.toString())).isFalse();
        assertThat(out.toString()).isEqualTo("Fake heading");
    }
}
