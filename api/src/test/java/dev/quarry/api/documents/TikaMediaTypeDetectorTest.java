package dev.quarry.api.documents;

import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SampleFiles.Sample;
import dev.quarry.testing.ScannedPages;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.quarry.testing.SampleFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TikaMediaTypeDetectorTest {
    private final TikaMediaTypeDetector detector = new TikaMediaTypeDetector(true);

    static Stream<Arguments> textFiles() {
        return Stream.of(
                arguments("notes.txt", "just some plain words", "text/plain"),
                arguments("README.md", "# Title\n\nSome *markdown* here", "text/x-web-markdown"),
                arguments("data.csv", "a,b,c\n1,2,3\n", "text/csv"),
                arguments("data.json", "{\"a\": [1, 2]}", "application/json"),
                arguments("Main.java", "package x; public class Main {}", "text/x-java-source"),
                arguments("script.py", "def f():\n    return 1", "text/x-python"),
                arguments("page.html", "<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
                arguments("page.txt", "<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
                arguments(null, "text without a name hint", "text/plain"));
    }

    @ParameterizedTest
    @MethodSource("textFiles")
    void text_formats_are_detected_from_content_refined_by_name(String filename, String content, String expected) {
        assertThat(detector.detect(utf8(content), filename)).isEqualTo(expected);
    }

    @Test
    void pdf_and_docx_are_detected_from_their_bytes_whatever_their_name() {
        assertThat(detector.detect(SampleFiles.pdf("hello").bytes(), "misleading.txt")).isEqualTo("application/pdf");
        assertThat(detector.detect(SampleFiles.docx("hello").bytes(), "misleading.bin"))
                .isEqualTo(TikaMediaTypeDetector.DOCX.toString());
    }

    @Test
    void text_in_legacy_charsets_is_plain_text_not_octet_stream() {
        String french = "Café crème brûlée, naïve résumé – déjà vu … Zürich. ";

        assertThat(detector.detect(french.getBytes(java.nio.charset.Charset.forName("windows-1252")), "menu.txt"))
                .isEqualTo("text/plain");
        assertThat(detector.detect(french.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), null))
                .isEqualTo("text/plain");
        assertThat(detector.detect(french.getBytes(java.nio.charset.StandardCharsets.UTF_16LE), "menu.txt"))
                .isEqualTo("text/plain");
        assertThat(detector.detect(french.getBytes(java.nio.charset.Charset.forName("windows-1252")), "menu.csv"))
                .isEqualTo("text/csv");
    }

    static Stream<Arguments> producedFiles() {
        return Stream.of(
                arguments("guide.docx", TikaMediaTypeDetector.DOCX.toString()),
                arguments("stations.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                arguments("slides.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
                arguments("guide.odt", "application/vnd.oasis.opendocument.text"),
                arguments("stations.ods", "application/vnd.oasis.opendocument.spreadsheet"),
                arguments("slides.odp", "application/vnd.oasis.opendocument.presentation"),
                arguments("guide.rtf", "application/rtf"),
                arguments("guide.epub", "application/epub+zip"),
                arguments("update.eml", "message/rfc822"),
                arguments("test-outlook2003.msg", "application/vnd.ms-outlook"),
                arguments("guide.html", "application/xhtml+xml"), // pandoc writes XHTML-flavoured HTML5
                arguments("catalog.xml", "application/xml"));
    }

    @ParameterizedTest
    @MethodSource("producedFiles")
    void office_and_publishing_formats_from_real_producers_are_accepted_whatever_their_name(String file, String expected) {
        byte[] bytes = SampleFiles.produced(file, expected).bytes();

        assertThat(detector.detect(bytes, "upload.bin")).isEqualTo(expected);
        assertThat(detector.detect(bytes, file)).isEqualTo(expected);
    }

    @Test
    void binary_content_is_rejected_even_with_a_text_file_name() {
        assertUnsupported(SampleFiles.randomBytes(4096, 1), "innocent.txt");
        assertUnsupported(SampleFiles.gif(), "picture.txt");
        assertUnsupported(SampleFiles.zip(), "archive.md");
        assertUnsupported(SampleFiles.elf(), "program.java");
        assertUnsupported(utf8("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"), "drawing.svg");
    }

    @Test
    void scanned_images_are_accepted_only_with_ocr_on() {
        for (Sample scan : List.of(ScannedPages.image("png", "image/png", "a scanned line"),
                ScannedPages.image("jpeg", "image/jpeg", "a scanned line"),
                ScannedPages.image("tiff", "image/tiff", "a scanned line"))) {
            assertThat(detector.detect(scan.bytes(), "scan.bin")).isEqualTo(scan.mediaType());
            assertUnsupported(new TikaMediaTypeDetector(false), scan.bytes(), scan.filename());
        }
    }

    private void assertUnsupported(byte[] content, String filename) {
        assertUnsupported(detector, content, filename);
    }

    private static void assertUnsupported(TikaMediaTypeDetector detector, byte[] content, String filename) {
        assertThatThrownBy(() -> detector.detect(content, filename))
                .isInstanceOfSatisfying(ApiProblem.class,
                        problem -> assertThat(problem.kind()).isEqualTo(ProblemKind.UNSUPPORTED_MEDIA_TYPE));
    }
}
