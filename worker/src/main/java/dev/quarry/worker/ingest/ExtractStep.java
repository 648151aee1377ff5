package dev.quarry.worker.ingest;

import dev.quarry.documents.PgDocumentStore;
import dev.quarry.documents.StoredContent;

import java.util.Map;

/**
 * {@code extract}: the document's original bytes, read from PostgreSQL, to plain text with Tika. Each scanned
 * page Tesseract reads is a progress event ({@code ocrPages} in its payload: the pages read so far).
 */
final class ExtractStep implements IngestStep {
    private final PgDocumentStore documents;
    private final TikaTextExtractor extractor;

    ExtractStep(PgDocumentStore documents, TikaTextExtractor extractor) {
        this.documents = documents;
        this.extractor = extractor;
    }

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        StoredContent document = documents.content(run.tenantId(), run.documentId(), run.contentSha256)
                .orElseThrow(() -> new UnprocessableDocumentException("the document no longer exists or its content was replaced"));
        int[] ocrPages = {0};
        // A progress event per scanned page: OCR takes seconds a page, the only part of extraction a client waits for.
        run.text = extractor.extract(document.bytes(), document.mediaType(), document.filename(), pages -> {
            ocrPages[0] = pages;
            progress.report(0, 1, Map.of("ocrPages", pages));
        });
        progress.report(1, 1, ocrPages[0] == 0 ? Map.of() : Map.of("ocrPages", ocrPages[0]));
    }
}
