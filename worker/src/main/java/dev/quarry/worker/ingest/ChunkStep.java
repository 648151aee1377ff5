package dev.quarry.worker.ingest;

/**
 * {@code chunk}: text cut to the embedding model's window, with overlap (see {@link TextChunker}); a CSV, and
 * each sheet of an XLSX or ODS, by whole rows, its header repeated in each chunk (see {@link TableChunker}).
 */
final class ChunkStep implements IngestStep {
    private static final String CSV = "text/csv";
    private final TextChunker chunker;
    private final TableChunker tables;

    ChunkStep(TextChunker chunker, TableChunker tables) {
        this.chunker = chunker;
        this.tables = tables;
    }

    @Override
    public String name() {
        return "chunk";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        if (CSV.equals(run.mediaType)) run.chunks = tables.chunk(run.text);
        else if (TikaTextExtractor.isSpreadsheet(run.mediaType)) run.chunks = tables.chunkTables(run.text);
        else run.chunks = chunker.chunk(run.text);
        if (run.chunks.isEmpty()) throw new UnprocessableDocumentException("no text found in the document");
        run.chunkCount = run.chunks.size();
        run.text = null; // the chunks hold it now; a big document should not be in memory twice
        progress.report(run.chunks.size(), run.chunks.size());
    }
}
