package dev.quarry.worker.ingest;

import dev.quarry.documents.PgDocumentStore;
import dev.quarry.documents.StoredContent;

/** {@code extract}: the document's original bytes, read from PostgreSQL, to plain text with Tika. */
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
        run.text = extractor.extract(document.bytes(), document.mediaType(), document.filename());
        progress.report(1, 1);
    }
}
