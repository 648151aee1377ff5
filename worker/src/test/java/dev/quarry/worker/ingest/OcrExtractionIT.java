package dev.quarry.worker.ingest;

import dev.quarry.testing.SampleFiles.Sample;
import dev.quarry.testing.ScannedPages;
import org.apache.tika.parser.AutoDetectParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scanned pages through the real {@code tesseract} (installed by {@code bin/quarry}): pages drawn from known
 * text, as PNG, JPEG, TIFF and an image-only PDF, must give that text back; with OCR off they give none, and
 * a document with more scanned pages than the bound is refused with that reason.
 */
class OcrExtractionIT {
    private static final String[] PAGE = {"The copper heron guards the eastern sluice.",
            "Gravel trucks leave the quarry before sunrise."};
    private static AutoDetectParser parser;

    @BeforeAll
    static void load() {
        parser = new AutoDetectParser();
    }

    static Stream<Sample> scans() {
        return Stream.of(ScannedPages.image("png", "image/png", PAGE), ScannedPages.image("jpeg", "image/jpeg", PAGE),
                ScannedPages.image("tiff", "image/tiff", PAGE), ScannedPages.pdf(PAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scans")
    void a_scanned_pages_text_is_read_by_ocr(Sample scan) {
        String text = extractor(new OcrSettings(true, 5)).extract(scan.bytes(), scan.mediaType(), scan.filename());

        assertThat(text.replaceAll("\\s+", " ")).contains(PAGE);
    }

    @Test
    void with_ocr_off_a_scan_has_no_text() {
        Sample scan = ScannedPages.pdf(PAGE);

        assertThatThrownBy(() -> extractor(OcrSettings.OFF).extract(scan.bytes(), scan.mediaType(), scan.filename()))
                .isInstanceOf(UnprocessableDocumentException.class).hasMessageContaining("no text found");
    }

    @Test
    void a_document_with_more_scanned_pages_than_the_bound_is_refused_with_the_reason() {
        Sample scan = ScannedPages.pdf(PAGE);

        assertThatThrownBy(() -> extractor(new OcrSettings(true, 0)).extract(scan.bytes(), scan.mediaType(), scan.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessage("the document has more than 0 scanned pages to OCR");
    }

    @Test
    void each_scanned_page_of_a_pdf_is_reported_as_it_is_read() {
        Sample scan = ScannedPages.pdfPages(PAGE);
        List<Integer> reports = new ArrayList<>();

        String text = extractor(new OcrSettings(true, 5)).extract(scan.bytes(), scan.mediaType(), scan.filename(), reports::add);

        assertThat(reports).containsExactly(1, 2);
        assertThat(text.replaceAll("\\s+", " ")).contains(PAGE);
    }

    @Test
    void every_page_of_a_multi_page_tiff_counts_toward_the_bound() {
        Sample tiff = ScannedPages.multiPageTiff(PAGE);
        List<Integer> reports = new ArrayList<>();

        assertThatThrownBy(() -> extractor(new OcrSettings(true, 1)).extract(tiff.bytes(), tiff.mediaType(), tiff.filename()))
                .isInstanceOf(UnprocessableDocumentException.class)
                .hasMessage("the document has more than 1 scanned pages to OCR");
        String text = extractor(new OcrSettings(true, 2)).extract(tiff.bytes(), tiff.mediaType(), tiff.filename(), reports::add);

        assertThat(reports).containsExactly(2);
        assertThat(text.replaceAll("\\s+", " ")).contains(PAGE);
    }

    private static TikaTextExtractor extractor(OcrSettings ocr) {
        return new TikaTextExtractor(parser, ExtractionLimits.DEFAULT, ocr);
    }
}
