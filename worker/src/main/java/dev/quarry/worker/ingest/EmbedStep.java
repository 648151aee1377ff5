package dev.quarry.worker.ingest;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.quarry.embedding.usage.EmbeddingUsageRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * {@code embed}: every chunk to a vector. Chunks whose text the {@link PgEmbeddingCache} holds for this
 * tenant and version are not embedded again ({@code quarry.embedding.cache}, tagged {@code result} hit or
 * miss, counts chunks); neither is a text repeated within the document. The rest go to the model in
 * batches of {@code batchSize}, each cached as it arrives, with a progress event per batch. The tokens of
 * the batches that came back are recorded once, as this job's tenant's usage, here, because the batcher's
 * shared calls mix tenants.
 * <p>
 * A few batches are queued ahead so the {@link EmbeddingBatcher} always has this job's next segments, but
 * never all of them: a 10,000-chunk document must not make every small document behind it wait. While it
 * waits for a batch, the step checks the job's cancel flag every {@link CancelSignal#CHECK_INTERVAL}; when
 * the job is cancelled (or the step fails), the batches still queued at the batcher are withdrawn.
 */
final class EmbedStep implements IngestStep {
    /** Batches of one job queued at the batcher at once: enough to fill a model call, few enough to share. */
    private static final int BATCHES_AHEAD = 4;
    private static final long CANCEL_POLL = CancelSignal.CHECK_INTERVAL.toNanos();

    private final EmbeddingBatcher batcher;
    private final PgEmbeddingCache cache;
    private final String version;
    private final int batchSize;
    private final int dimensions;
    private final Duration timeout;
    private final Counter hits;
    private final Counter misses;
    private final EmbeddingUsageRecorder usage;

    EmbedStep(EmbeddingBatcher batcher, PgEmbeddingCache cache, String version, int dimensions,
              IngestProperties properties, EmbeddingUsageRecorder usage, MeterRegistry meters) {
        this.usage = usage;
        this.batcher = batcher;
        this.cache = cache;
        this.version = version;
        this.batchSize = properties.embedBatchSize();
        this.dimensions = dimensions;
        this.timeout = properties.embedTimeout();
        this.hits = cacheCounter(meters, "hit");
        this.misses = cacheCounter(meters, "miss");
    }

    @Override
    public String name() {
        return "embed";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) throws Exception {
        List<String> keys = run.chunks.stream().map(c -> PgEmbeddingCache.key(c.text())).toList();
        Map<String, float[]> vectors = cache.find(run.tenantId(), version, keys);
        Map<String, Chunk> missing = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!vectors.containsKey(keys.get(i))) missing.putIfAbsent(keys.get(i), run.chunks.get(i));
        }
        hits.increment(keys.size() - missing.size());
        misses.increment(missing.size());
        int known = keys.size() - missing.size();
        if (missing.isEmpty()) progress.report(keys.size(), keys.size(), Map.of("cached", known));
        else embed(run, missing, vectors, done -> progress.report(known + done, keys.size()));
        run.vectors = keys.stream().map(vectors::get).toList();
    }

    /** Embeds {@code missing} (key to chunk) into {@code vectors} and the cache, batch by batch. */
    private void embed(IngestRun run, Map<String, Chunk> missing, Map<String, float[]> vectors,
                       IntConsumer embedded) throws Exception {
        List<String> keys = new ArrayList<>(missing.keySet());
        Deque<CompletableFuture<List<Embedding>>> queued = new ArrayDeque<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int submitted = 0, done = 0, calls = 0;
        long tokens = 0;
        try {
            while (done < keys.size()) {
                while (queued.size() < BATCHES_AHEAD && submitted < keys.size()) {
                    List<TextSegment> batch = keys.subList(submitted, Math.min(keys.size(), submitted + batchSize))
                            .stream().map(k -> TextSegment.from(missing.get(k).text())).toList();
                    queued.add(batcher.embed(batch));
                    submitted += batch.size();
                }
                Map<String, float[]> arrived = new HashMap<>();
                for (Embedding e : await(queued.peek(), deadline, run.cancel)) {
                    if (e.dimension() != dimensions) {
                        throw new IllegalStateException("the embedding model returned " + e.dimension()
                                + " dimensions, the store expects " + dimensions);
                    }
                    tokens += missing.get(keys.get(done)).tokenCount();
                    arrived.put(keys.get(done++), e.vector());
                }
                queued.poll();
                calls++;
                cache.put(run.tenantId(), version, arrived);
                vectors.putAll(arrived);
                embedded.accept(done);
                run.cancel.check();
            }
        } finally {
            // On failure or cancel, withdraw what has not been embedded yet rather than let the model work
            // for nobody.
            queued.forEach(b -> b.cancel(false));
            // One upsert per job, also for the batches a failed or cancelled job did get back.
            usage.record(run.tenantId(), tokens, done, calls);
        }
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

    private static Counter cacheCounter(MeterRegistry meters, String result) {
        return Counter.builder("quarry.embedding.cache").tag("result", result)
                .description("Chunks whose vector was found in the embedding cache (hit) or had to be embedded (miss)")
                .register(meters);
    }
}
