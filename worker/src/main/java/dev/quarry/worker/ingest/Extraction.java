package dev.quarry.worker.ingest;

import org.apache.tika.parser.AutoDetectParser;

import java.time.Duration;

/**
 * Quarry's extraction as the worker runs it ({@link TikaTextExtractor}: the parser chosen by type, the
 * zip-bomb and deadline handlers, heading marks, spreadsheet rows, OCR), outside a job. The one public door
 * into it, for the extraction and OCR benchmarks ({@code bin/quarry bench extract}, {@code bench ocr}),
 * which compare it with Tika's own {@code AutoDetectParser} and the {@code tesseract} command on the same
 * files; nothing in the worker uses it.
 */
public final class Extraction {
    private final TikaTextExtractor extractor;

    private Extraction(TikaTextExtractor extractor) {
        this.extractor = extractor;
    }

    /**
     * @param maxChars   the character bound ({@code quarry.ingest.extract-max-chars}); a benchmark of large
     *                   files raises it, so that both sides extract the whole text
     * @param timeout    the extraction deadline ({@code quarry.ingest.extract-timeout})
     * @param ocrEnabled whether scanned pages and images go through Tesseract
     * @param maxPages   the OCR page bound ({@code quarry.ingest.ocr.max-pages})
     */
    public static Extraction configured(int maxChars, Duration timeout, boolean ocrEnabled, int maxPages) {
        ExtractionLimits limits = new ExtractionLimits(maxChars, timeout, ExtractionLimits.DEFAULT.maxColumns());
        return new Extraction(new TikaTextExtractor(new AutoDetectParser(), limits, new OcrSettings(ocrEnabled, maxPages)));
    }

    /** The text the worker's {@code extract} step would produce, before normalization. */
    public String text(byte[] bytes, String mediaType, String filename) {
        return extractor.extract(bytes, mediaType, filename);
    }
}
