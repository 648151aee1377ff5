package dev.quarry.worker.ingest;

import dev.quarry.embedding.Embedder;
import dev.quarry.embedding.EmbeddingCalls;
import dev.quarry.embedding.EmbeddingVersion;

import java.util.List;
import java.util.Map;

/**
 * {@code embed}: every chunk to a vector, through the {@link Embedder} that reindex shares (cache, batcher,
 * dimension check and usage are its business), with a progress event per batch of
 * {@code quarry.ingest.embed-batch-size} chunks (one, saying how many were cached, when the cache held them
 * all). While it waits for a batch the step checks the job's cancel flag every
 * {@link CancelSignal#CHECK_INTERVAL}; a cancel withdraws the batches still queued.
 */
final class EmbedStep implements IngestStep {
    private final Embedder embedder;
    private final EmbeddingVersion version;
    private final Embedder.Pace pace;

    EmbedStep(Embedder embedder, EmbeddingVersion version, IngestProperties properties) {
        this.embedder = embedder;
        this.version = version;
        this.pace = new Embedder.Pace(properties.embedBatchSize(), properties.embedTimeout(),
                CancelSignal.CHECK_INTERVAL);
    }

    @Override
    public String name() {
        return "embed";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) throws Exception {
        List<Embedder.Text> texts = run.chunks.stream().map(c -> new Embedder.Text(c.text(), c.tokenCount())).toList();
        run.vectors = embedder.embed(run.tenantId(), version, EmbeddingCalls.Caller.INGEST, texts, pace, new Embedder.Observer() {
            @Override
            public void progress(int done, int total, int cached) {
                if (cached == total) progress.report(total, total, Map.of("cached", cached));
                else progress.report(done, total);
            }

            @Override
            public void check() {
                run.cancel.check();
            }
        });
    }
}
