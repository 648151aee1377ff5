package dev.quarry.worker.ingest;

/** Told each time Tesseract has read a page (or a multi-page TIFF's frames), with the document's pages so far. */
@FunctionalInterface
interface OcrProgress {
    OcrProgress NONE = pages -> {
    };

    void pagesRead(int pages);
}
