package dev.quarry.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.embedding.usage.EmbeddingUsageLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way stored text becomes vectors, for ingest's chunks and reindex's copies alike. Texts whose vector
 * the {@link PgEmbeddingCache} holds for the tenant and version are not embedded again
 * ({@code quarry.embedding.cache}, tagged {@code result} hit or miss, counts texts); neither is a text repeated
 * within one call. The rest go to the process's one {@link EmbeddingBatcher} in requests of
 * {@link Pace#batchSize()} texts, each cached as it comes back; every vector's dimensions are checked against
 * the version. The tokens of the requests that came back are billed once per call of this method, to the
 * tenant and the version's model, also when it fails or is abandoned: the batcher's shared model calls mix
 * tenants, so only the caller knows whose texts they were.
 * <p>
 * A few requests are queued ahead so the batcher always has this caller's next texts, but never all of them:
 * a 10,000-chunk document must not make every small document behind it wait. While it waits, it asks the
 * {@link Observer} every {@link Pace#checkInterval()} whether to go on; when the caller gives up (or a
 * request fails), the requests still queued at the batcher are withdrawn.
 */
public class Embedder {
    private static final Logger log = LoggerFactory.getLogger(Embedder.class);
    /** Requests of one caller queued at the batcher at once: enough to fill a model call, few enough to share. */
    private static final int BATCHES_AHEAD = 4;

    /** A text to embed and its size in word pieces (what usage bills). */
    public record Text(String text, int tokenCount) {
    }

    /**
     * @param batchSize     texts per request to the batcher, and per {@link Observer#progress} report
     * @param timeout       how long the whole call may wait for its vectors
     * @param checkInterval how often {@link Observer#check()} is called while waiting
     */
    public record Pace(int batchSize, Duration timeout, Duration checkInterval) {
    }

    /** What the caller learns while its texts are embedded, and how it gives up. Called on the caller's thread. */
    public interface Observer {
        Observer NONE = new Observer() {
            @Override
            public void progress(int done, int total, int cached) {
            }

            @Override
            public void check() {
            }
        };

        /**
         * {@code done} of {@code total} texts have their vector, {@code cached} of them from the cache. Called
         * once when the cache held every text, else after each request that came back.
         */
        void progress(int done, int total, int cached);

        /** Throws (unchecked) to give up; called between requests and while waiting for one. */
        void check();
    }

    private final EmbeddingBatcher batcher;
    private final PgEmbeddingCache cache;
    private final EmbeddingCatalog catalog;
    private final EmbeddingUsageLedger usage;
    private final EmbeddingCalls embeddingCalls;
    private final Counter hits;
    private final Counter misses;
    private final Map<String, EmbeddingModel> models = new ConcurrentHashMap<>();

    Embedder(EmbeddingBatcher batcher, PgEmbeddingCache cache, EmbeddingCatalog catalog, EmbeddingUsageLedger usage,
             EmbeddingCalls calls, MeterRegistry meters) {
        this.embeddingCalls = calls;
        this.batcher = batcher;
        this.cache = cache;
        this.catalog = catalog;
        this.usage = usage;
        this.hits = cacheCounter(meters, "hit");
        this.misses = cacheCounter(meters, "miss");
    }

    /**
     * The vectors of {@code texts} in {@code version}, in order.
     *
     * @throws ExecutionException    if the model call failed (its cause says why)
     * @throws TimeoutException      if the vectors did not all come back within {@link Pace#timeout()}
     * @throws IllegalStateException if the model returned vectors of other dimensions than the version's
     */
    public List<float[]> embed(String tenant, EmbeddingVersion version, EmbeddingCalls.Caller caller,
                               List<Text> texts, Pace pace, Observer observer) throws InterruptedException, ExecutionException, TimeoutException {
        List<String> keys = texts.stream().map(t -> PgEmbeddingCache.key(t.text())).toList();
        Map<String, float[]> vectors = cache.find(tenant, version.tag(), keys);
        Map<String, Text> missing = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!vectors.containsKey(keys.get(i))) missing.putIfAbsent(keys.get(i), texts.get(i));
        }
        hits.increment(keys.size() - missing.size());
        misses.increment(missing.size());
        int cached = keys.size() - missing.size();
        if (missing.isEmpty()) observer.progress(keys.size(), keys.size(), cached);
        else embedMissing(tenant, version, caller, missing, vectors, pace, observer, cached, keys.size());
        return keys.stream().map(vectors::get).toList();
    }

    /** Embeds {@code missing} (key to text) into {@code vectors} and the cache, request by request. */
    private void embedMissing(String tenant, EmbeddingVersion version, EmbeddingCalls.Caller caller,
                              Map<String, Text> missing,
                              Map<String, float[]> vectors, Pace pace, Observer observer, int cached, int total)
            throws InterruptedException, ExecutionException, TimeoutException {
        EmbeddingModel model = model(version);
        List<String> keys = new ArrayList<>(missing.keySet());
        Deque<CompletableFuture<List<Embedding>>> queued = new ArrayDeque<>();
        long deadline = System.nanoTime() + pace.timeout().toNanos();
        int submitted = 0, done = 0, calls = 0;
        long tokens = 0;
        try {
            while (done < keys.size()) {
                while (queued.size() < BATCHES_AHEAD && submitted < keys.size()) {
                    List<TextSegment> batch = keys.subList(submitted, Math.min(keys.size(), submitted + pace.batchSize()))
                            .stream().map(k -> TextSegment.from(missing.get(k).text())).toList();
                    CompletableFuture<List<Embedding>> request = batcher.embed(model, batch);
                    embeddingCalls.track(version, caller, batch.size(), request);
                    queued.add(request);
                    submitted += batch.size();
                }
                Map<String, float[]> arrived = new HashMap<>();
                for (Embedding e : await(queued.peek(), deadline, pace.checkInterval().toNanos(), observer)) {
                    if (e.dimension() != version.dimensions()) {
                        throw new IllegalStateException("the embedding model returned " + e.dimension()
                                + " dimensions, " + version.tag() + " has " + version.dimensions());
                    }
                    tokens += missing.get(keys.get(done)).tokenCount();
                    arrived.put(keys.get(done++), e.vector());
                }
                queued.poll();
                calls++;
                cache.put(tenant, version.tag(), arrived);
                vectors.putAll(arrived);
                observer.progress(cached + done, total, cached);
                observer.check();
            }
        } finally {
            // On failure or when the caller gives up, withdraw what has not been embedded yet rather than let
            // the model work for nobody.
            queued.forEach(b -> b.cancel(false));
            // One upsert per call, also for the requests a failed or abandoned call did get back.
            usage.recorderFor(version.tag()).record(tenant, tokens, done, calls);
        }
    }

    /** Waits for one request, asking the observer while it waits; a request can queue behind other callers'. */
    private static List<Embedding> await(CompletableFuture<List<Embedding>> batch, long deadline, long checkNanos,
                                         Observer observer)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return batch.get(Math.max(0, Math.min(left, checkNanos)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (left <= checkNanos) throw e;
                observer.check();
            }
        }
    }

    /** The in-process models in their per-core form (see {@link PerCoreOnnxEmbeddingModel}); built once each. */
    private EmbeddingModel model(EmbeddingVersion version) {
        return models.computeIfAbsent(version.tag(), tag -> {
            EmbeddingModel configured = catalog.model(version);
            EmbeddingModel model = PerCoreOnnxEmbeddingModel.of(configured).orElse(configured);
            log.info("{} embeds with {}", tag, model.getClass().getSimpleName());
            return model;
        });
    }

    private static Counter cacheCounter(MeterRegistry meters, String result) {
        return Counter.builder("quarry.embedding.cache").tag("result", result)
                .description("Chunks whose vector was found in the embedding cache (hit) or had to be embedded (miss)")
                .register(meters);
    }
}
