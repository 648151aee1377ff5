package dev.quarry.worker.ingest;

import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SampleFiles.Sample;
import org.apache.tika.parser.AutoDetectParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real Tika, real parsers (PDFBox, POI, JSoup, ...), one real file per supported format. */
class TikaTextExtractorIT {
    private static TikaTextExtractor extractor;

    @BeforeAll
    static void load() {
        extractor = new TikaTextExtractor(new AutoDetectParser());
    }

    record Case(String format, Sample sample, String phrase) {
        @Override
        public String toString() {
            return format;
        }
    }

    static Stream<Case> formats() {
        return Stream.of(
                new Case("txt", SampleFiles.text("notes.txt", "text/plain",
                        "Meeting notes.\nThe turquoise heron nests beside the quarry lake.\n"), "turquoise heron nests"),
                new Case("md", SampleFiles.text("guide.md", "text/x-web-markdown",
                        "# Guide\n\n* The **saffron lighthouse** blinks twice.\n"), "saffron lighthouse"),
                new Case("pdf", SampleFiles.pdf("Annual report", "The obsidian glacier retreated nine metres."),
                        "obsidian glacier retreated"),
                new Case("docx", SampleFiles.docx("Minutes", "The velvet cartographer signed the charter."),
                        "velvet cartographer signed"),
                new Case("csv", SampleFiles.text("stations.csv", "text/csv",
                        "id,name,notes\n1,Alpha,copper windmill squeaks\n2,Beta,quiet\n"), "copper windmill squeaks"),
                new Case("json", SampleFiles.text("item.json", "application/json",
                        "{\"id\": 7, \"description\": \"the marble orchestra tunes at dawn\"}"), "marble orchestra tunes"),
                new Case("html", SampleFiles.text("page.html", "text/html",
                        "<html><head><title>T</title><script>var hidden = 1;</script></head>"
                                + "<body><p>The <b>amber tortoise</b> crossed the road.</p></body></html>"),
                        "amber tortoise crossed"),
                new Case("java", SampleFiles.text("Greeter.java", "text/x-java-source", """
                        package demo;
                        /** Says the crimson falcon greeting. */
                        public class Greeter {
                            String greet() { return "crimson falcon greeting"; }
                        }
                        """), "crimson falcon greeting"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void extracts_the_text_of_each_supported_format(Case c) {
        String text = extractor.extract(c.sample().bytes(), c.sample().mediaType(), c.sample().filename());

        assertThat(new TextNormalizer().normalize(text).replace('\n', ' ')).contains(c.phrase());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void detects_the_format_from_the_content_without_hints(Case c) {
        String text = extractor.extract(c.sample().bytes(), null, null);

        assertThat(new TextNormalizer().normalize(text).replace('\n', ' ')).contains(c.phrase());
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> legacyEncodings() {
        String french = "Café crème brûlée, naïve résumé – déjà vu … Zürich.";
        String latin1 = "Café crème brûlée, naïve résumé, déjà vu à Zürich.";
        byte[] badUtf8 = concat(french.getBytes(StandardCharsets.UTF_8), new byte[]{' ', (byte) 0xFF, ' '},
                french.getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("windows-1252", french.getBytes(Charset.forName("windows-1252")), french),
                org.junit.jupiter.params.provider.Arguments.of("latin-1", latin1.getBytes(StandardCharsets.ISO_8859_1), latin1),
                org.junit.jupiter.params.provider.Arguments.of("utf-16 with bom", french.getBytes(StandardCharsets.UTF_16), french),
                org.junit.jupiter.params.provider.Arguments.of("utf-16le without bom", french.getBytes(StandardCharsets.UTF_16LE), french),
                org.junit.jupiter.params.provider.Arguments.of("utf-16be without bom", french.getBytes(StandardCharsets.UTF_16BE), french),
                org.junit.jupiter.params.provider.Arguments.of("utf-8 with a bad byte", badUtf8, french + " \uFFFD " + french));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legacyEncodings")
    void text_in_each_charset_is_extracted_as_its_characters(String charset, byte[] bytes, String expected) {
        assertThat(extractor.extract(bytes, "text/plain", "menu.txt").strip()).isEqualTo(expected);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    @Test
    void a_type_no_parser_claims_falls_back_to_detection() {
        Sample txt = SampleFiles.text("notes.txt", "application/x-quarry-unknown", "The indigo kettle whistles.");

        assertThat(extractor.extract(txt.bytes(), txt.mediaType(), txt.filename())).contains("The indigo kettle whistles.");
    }

    @Test
    void html_markup_and_scripts_do_not_become_text() {
        Sample html = SampleFiles.text("page.html", "text/html",
                "<html><head><script>var hidden = 1;</script></head><body><p>Visible words.</p></body></html>");

        assertThat(extractor.extract(html.bytes(), html.mediaType(), html.filename()))
                .contains("Visible words.").doesNotContain("<p>").doesNotContain("hidden");
    }

    @Test
    void a_corrupt_pdf_is_unprocessable() {
        Sample pdf = SampleFiles.corruptPdf();

        assertThatThrownBy(() -> extractor.extract(pdf.bytes(), pdf.mediaType(), pdf.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessageContaining("application/pdf");
    }

    @Test
    void an_encrypted_pdf_is_unprocessable() {
        Sample pdf = SampleFiles.encryptedPdf("The secret plan.");

        assertThatThrownBy(() -> extractor.extract(pdf.bytes(), pdf.mediaType(), pdf.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessage("the document is encrypted");
    }

    @Test
    void an_unsupported_binary_has_no_text() {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);

        assertThatThrownBy(() -> extractor.extract(noise, "application/octet-stream", "blob.bin"))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessageContaining("no text");
    }

    @Test
    void an_empty_file_is_unprocessable() {
        assertThatThrownBy(() -> extractor.extract(new byte[0], "text/plain", "empty.txt"))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessage("the file is empty");
    }

    @Test
    void a_large_document_is_extracted_whole() {
        String big = "Paragraph about wind tunnels and shock waves. ".repeat(20_000) + "The final sentence is here.";
        Sample txt = SampleFiles.text("big.txt", "text/plain", big);

        String text = extractor.extract(txt.bytes(), txt.mediaType(), txt.filename());

        assertThat(text.length()).isGreaterThan(900_000);
        assertThat(text).contains("The final sentence is here.");
    }
}
