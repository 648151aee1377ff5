package dev.quarry.worker.ingest;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code embed}: every chunk to a vector, in batches of {@code batchSize} with a progress event per batch.
 * A few batches are queued ahead so the {@link EmbeddingBatcher} always has this job's next segments, but
 * never all of them: a 10,000-chunk document must not make every small document behind it wait.
 * <p>
 * While it waits for a batch, the step checks the job's cancel flag every {@link #CANCEL_POLL}; when the
 * job is cancelled (or the step fails), the batches still queued at the batcher are withdrawn.
 */
final class EmbedStep implements IngestStep {
    /** Batches of one job queued at the batcher at once: enough to fill a model call, few enough to share. */
    private static final int BATCHES_AHEAD = 4;
    private static final long CANCEL_POLL = PgCancelFlag.CHECK_INTERVAL.toNanos();

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
        List<float[]> vectors = new ArrayList<>(chunks.size());
        Deque<CompletableFuture<List<Embedding>>> queued = new ArrayDeque<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int submitted = 0;
        try {
            while (vectors.size() < chunks.size()) {
                while (queued.size() < BATCHES_AHEAD && submitted < chunks.size()) {
                    List<TextSegment> batch = chunks.subList(submitted, Math.min(chunks.size(), submitted + batchSize))
                            .stream().map(c -> TextSegment.from(c.text())).toList();
                    queued.add(batcher.embed(batch));
                    submitted += batch.size();
                }
                for (Embedding e : await(queued.peek(), deadline, run.cancel)) {
                    if (e.dimension() != dimensions) {
                        throw new IllegalStateException("the embedding model returned " + e.dimension()
                                + " dimensions, the store expects " + dimensions);
                    }
                    vectors.add(e.vector());
                }
                queued.poll();
                progress.report(vectors.size(), chunks.size());
                run.cancel.check();
            }
        } finally {
            // On failure or cancel, withdraw what has not been embedded yet rather than let the model work
            // for nobody.
            queued.forEach(b -> b.cancel(false));
        }
        run.vectors = vectors;
    }

    /** Waits for one batch, checking the cancel flag while it waits; a batch can queue behind other jobs'. */
    private static List<Embedding> await(CompletableFuture<List<Embedding>> batch, long deadline, CancelSignal cancel)
            throws Exception {
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return batch.get(Math.max(0, Math.min(left, CANCEL_POLL)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (left <= CANCEL_POLL) throw e;
                cancel.check();
            }
        }
    }
}
