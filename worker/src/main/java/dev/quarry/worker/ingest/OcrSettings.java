package dev.quarry.worker.ingest;

/**
 * Whether scanned pages are read with Tesseract ({@code quarry.ingest.ocr.*}), and how many of one document.
 * OCR costs seconds of CPU per page (a shelled-out {@code tesseract} per page image), so a scanned book would
 * hold a worker thread for an hour: past {@code maxPages} OCR'd pages the document is refused with that reason,
 * as one over the character bound is. The time per document is the extraction deadline
 * ({@link ExtractionLimits#timeout()}), which also bounds each Tesseract call.
 *
 * @param enabled  off where Tesseract is not installed or OCR's CPU is not wanted: scanned pages then yield no text
 * @param maxPages pages (a scanned PDF's pages, or an image's frames) OCR'd per document
 */
record OcrSettings(boolean enabled, int maxPages) {
    static final OcrSettings OFF = new OcrSettings(false, 0);
}
