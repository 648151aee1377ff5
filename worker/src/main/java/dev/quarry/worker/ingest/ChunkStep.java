package dev.quarry.worker.ingest;

/** {@code chunk}: text cut to the embedding model's window, with overlap (see {@link TextChunker}). */
final class ChunkStep implements IngestStep {
    private final TextChunker chunker;

    ChunkStep(TextChunker chunker) {
        this.chunker = chunker;
    }

    @Override
    public String name() {
        return "chunk";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        run.chunks = chunker.chunk(run.text);
        if (run.chunks.isEmpty()) throw new UnprocessableDocumentException("no text found in the document");
        run.chunkCount = run.chunks.size();
        run.text = null; // the chunks hold it now; a big document should not be in memory twice
        progress.report(run.chunks.size(), run.chunks.size());
    }
}
