package dev.quarry.worker.ingest;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code embed}: every chunk to a vector, in batches of {@code batchSize} with a progress event per batch.
 * All batches are queued at once so the {@link EmbeddingBatcher} can keep the model busy; the job then
 * collects them in order.
 */
final class EmbedStep implements IngestStep {
    private final EmbeddingBatcher batcher;
    private final int batchSize;
    private final int dimensions;
    private final Duration timeout;

    EmbedStep(EmbeddingBatcher batcher, int batchSize, int dimensions, Duration timeout) {
        this.batcher = batcher;
        this.batchSize = batchSize;
        this.dimensions = dimensions;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "embed";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) throws Exception {
        List<Chunk> chunks = run.chunks;
        List<CompletableFuture<List<Embedding>>> batches = new ArrayList<>();
        for (int from = 0; from < chunks.size(); from += batchSize) {
            List<TextSegment> segments = chunks.subList(from, Math.min(chunks.size(), from + batchSize)).stream()
                    .map(c -> TextSegment.from(c.text())).toList();
            batches.add(batcher.embed(segments));
        }
        List<float[]> vectors = new ArrayList<>(chunks.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (CompletableFuture<List<Embedding>> batch : batches) {
                for (Embedding e : batch.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    if (e.dimension() != dimensions) {
                        throw new IllegalStateException("the embedding model returned " + e.dimension()
                                + " dimensions, the store expects " + dimensions);
                    }
                    vectors.add(e.vector());
                }
                progress.report(vectors.size(), chunks.size());
            }
        } finally {
            // On failure, drop what has not been embedded yet rather than let the model work for nobody.
            batches.forEach(b -> b.cancel(false));
        }
        run.vectors = vectors;
    }
}
