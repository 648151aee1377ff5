package dev.quarry.worker.ingest;

import dev.quarry.text.SectionMarks;

/**
 * {@code chunk}: text cut to the embedding model's window, with overlap (see {@link TextChunker}); a CSV, and
 * each sheet of an XLSX or ODS, by whole rows, its header repeated in each chunk (see {@link TableChunker}).
 * A text with headings is chunked section by section, each chunk with its section's path ({@link SectionChunker}).
 */
final class ChunkStep implements IngestStep {
    private static final String CSV = "text/csv";
    private final SectionChunker chunker;
    private final TableChunker tables;

    ChunkStep(TextChunker chunker, TableChunker tables) {
        this.chunker = new SectionChunker(chunker);
        this.tables = tables;
    }

    @Override
    public String name() {
        return "chunk";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        // A table has no headings; a CSV's own private-use characters must not reach a chunk as marks.
        if (CSV.equals(run.mediaType)) run.chunks = tables.chunk(SectionMarks.strip(run.text));
        else if (TikaTextExtractor.isSpreadsheet(run.mediaType)) run.chunks = tables.chunkTables(SectionMarks.strip(run.text));
        else run.chunks = chunker.chunk(run.text);
        if (run.chunks.isEmpty()) throw new UnprocessableDocumentException("no text found in the document");
        run.chunkCount = run.chunks.size();
        run.text = null; // the chunks hold it now; a big document should not be in memory twice
        progress.report(run.chunks.size(), run.chunks.size());
    }
}
