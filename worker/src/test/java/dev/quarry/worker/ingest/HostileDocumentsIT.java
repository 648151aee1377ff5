package dev.quarry.worker.ingest;

import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SampleFiles.Sample;
import org.apache.tika.parser.AutoDetectParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile uploads that are only detectable while extracting: each is an {@link UnprocessableDocumentException}
 * (a permanent dead letter, with its reason), never an error that would crash or exhaust the worker.
 */
class HostileDocumentsIT {
    /** 50 MB of one letter inside a zip of ~100 KB. */
    private static final int BOMB = 50 * 1024 * 1024;
    private static TikaTextExtractor extractor;

    @BeforeAll
    static void load() {
        extractor = new TikaTextExtractor(new AutoDetectParser());
    }

    record Case(Sample sample, String marker) {
        @Override
        public String toString() {
            return sample.filename();
        }
    }

    static Stream<Case> zipContainers() {
        return Stream.of(
                new Case(SampleFiles.produced("guide.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), "cobalt lantern"),
                new Case(SampleFiles.produced("stations.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "tangerine ferry"),
                new Case(SampleFiles.produced("slides.pptx",
                        "application/vnd.openxmlformats-officedocument.presentationml.presentation"), "cobalt lantern"),
                new Case(SampleFiles.produced("guide.odt", "application/vnd.oasis.opendocument.text"), "cobalt lantern"),
                new Case(SampleFiles.produced("stations.ods", "application/vnd.oasis.opendocument.spreadsheet"), "tangerine ferry"),
                new Case(SampleFiles.produced("slides.odp", "application/vnd.oasis.opendocument.presentation"), "cobalt lantern"),
                new Case(SampleFiles.produced("guide.epub", "application/epub+zip"), "cobalt lantern"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zipContainers")
    void a_zip_bomb_in_each_container_format_is_unprocessable(Case c) {
        Sample bomb = SampleFiles.zipBomb(c.sample(), c.marker(), BOMB);

        assertThat(bomb.bytes().length).isLessThan(BOMB / 100);
        assertThatThrownBy(() -> extractor.extract(bomb.bytes(), bomb.mediaType(), bomb.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessageFindingMatch("(?i)zip bomb|characters of text|could not be read");
        assertThatThrownBy(() -> extractor.extract(bomb.bytes(), null, null))
                .isInstanceOf(UnprocessableDocumentException.class);
    }

    @Test
    void an_xml_entity_bomb_is_unprocessable() {
        Sample bomb = SampleFiles.xmlEntityBomb();

        assertThatThrownBy(() -> extractor.extract(bomb.bytes(), bomb.mediaType(), bomb.filename()))
                .isInstanceOf(UnprocessableDocumentException.class);
    }

    @Test
    void a_password_protected_office_file_is_unprocessable_as_encrypted() {
        Sample locked = SampleFiles.passwordProtected(SampleFiles.produced("guide.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));

        assertThatThrownBy(() -> extractor.extract(locked.bytes(), locked.mediaType(), locked.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessage("the document is encrypted");
    }

    @Test
    void an_odt_saved_with_a_password_by_libreoffice_is_unprocessable_as_encrypted() {
        Sample locked = SampleFiles.produced("guide-locked.odt", "application/vnd.oasis.opendocument.text");

        assertThatThrownBy(() -> extractor.extract(locked.bytes(), locked.mediaType(), locked.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessage("the document is encrypted");
    }

    @Test
    void a_million_column_csv_is_refused_with_its_reason() {
        Sample wide = SampleFiles.wideCsv(1_000_000);

        assertThatThrownBy(() -> extractor.extract(wide.bytes(), wide.mediaType(), wide.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessageContaining("at most 10000 columns");
    }

    @Test
    void a_csv_within_the_width_limit_is_read() {
        Sample wide = SampleFiles.wideCsv(500);

        assertThat(extractor.extract(wide.bytes(), wide.mediaType(), wide.filename())).contains("c499");
    }

    @Test
    void more_text_than_the_character_limit_is_unprocessable_not_an_out_of_memory() {
        TikaTextExtractor small = new TikaTextExtractor(new AutoDetectParser(),
                new ExtractionLimits(1_000_000, ExtractionLimits.DEFAULT.timeout(), 10_000));
        Sample text = SampleFiles.text("long.txt", "text/plain", "word ".repeat(400_000));

        assertThatThrownBy(() -> small.extract(text.bytes(), text.mediaType(), text.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessage("the document holds more than 1000000 characters of text");
    }

    @Test
    void an_extraction_past_its_deadline_is_unprocessable() {
        TikaTextExtractor hurried = new TikaTextExtractor(new AutoDetectParser(),
                new ExtractionLimits(64_000_000, java.time.Duration.ZERO, 10_000));
        Sample docx = SampleFiles.docx("paragraph ".repeat(50), "another paragraph", "and a third one");

        assertThatThrownBy(() -> hurried.extract(docx.bytes(), docx.mediaType(), docx.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessageContaining("extraction took longer than 0 s");
    }

    @Test
    void fifty_megabytes_of_one_repeated_character_are_read_whole() {
        Sample text = SampleFiles.text("aaaa.txt", "text/plain", "a".repeat(50 * 1024 * 1024));

        assertThat(extractor.extract(text.bytes(), text.mediaType(), text.filename())).hasSizeGreaterThanOrEqualTo(50 * 1024 * 1024);
    }
}
