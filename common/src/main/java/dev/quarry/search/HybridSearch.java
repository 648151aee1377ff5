package dev.quarry.search;

import dev.langchain4j.data.segment.TextSegment;
import dev.quarry.embedding.EmbeddingCalls;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.PgEmbeddingVersions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the legs a mode asks for, fuses them and loads the surviving hits. The keyword leg starts on its
 * own thread while the request thread embeds the query: embedding is CPU in this JVM and BM25 is CPU in
 * PostgreSQL, so on two cores the slower of the two sets the latency instead of their sum. In hybrid mode
 * the vector leg then runs with the query's embedding moved towards the keyword leg's best chunks.
 * It lives in {@code common} because two processes search: the API's {@code GET /api/v1/search} and
 * {@code POST /api/v1/rag/augment}, and the worker's grounded-chat job.
 */
@Service
@EnableConfigurationProperties(SearchProperties.class)
public class HybridSearch {
    private final PgKeywordLeg keywordLeg;
    private final PgVectorLeg vectorLeg;
    private final PgHitDetails details;
    private final SearchStatistics statistics;
    private final PgCollectionSettings settings;
    private final EmbeddingCatalog catalog;
    private final QueryEmbeddingUsage usage;
    private final PgEmbeddingVersions versions;
    private final SearchProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService legs;
    private final EmbeddingCalls calls;
    private final MeterRegistry meters;

    HybridSearch(PgKeywordLeg keywordLeg, PgVectorLeg vectorLeg, PgHitDetails details, SearchStatistics statistics,
                 PgCollectionSettings settings, EmbeddingCatalog catalog, PgEmbeddingVersions versions,
                 SearchProperties properties, QueryEmbeddingUsage usage, EmbeddingCalls calls, MeterRegistry meters) {
        this.calls = calls;
        this.meters = meters;
        this.keywordLeg = keywordLeg;
        this.vectorLeg = vectorLeg;
        this.details = details;
        this.statistics = statistics;
        this.settings = settings;
        this.catalog = catalog;
        this.usage = usage;
        this.versions = versions;
        this.properties = properties;
        // Bounded: when every thread is busy, the request thread runs its keyword leg itself.
        this.legs = new ThreadPoolExecutor(properties.legThreads(), properties.legThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(properties.legThreads()), runnable -> {
                    Thread thread = new Thread(runnable, "search-keyword-leg");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Timed per mode, failures included: a search that fails slowly is what the latency alert is for. */
    public SearchResults search(String tenant, SearchRequest request) {
        Timer.Sample sample = Timer.start(meters);
        try {
            return searchUntimed(tenant, request);
        } finally {
            sample.stop(Timer.builder("quarry.search.latency").description("One search, end to end")
                    .tag("mode", request.mode().name().toLowerCase(java.util.Locale.ROOT))
                    .publishPercentileHistogram().register(meters));
        }
    }

    private SearchResults searchUntimed(String tenant, SearchRequest request) {
        // Read once: both legs search the same version even if a reindex switches the tenant meanwhile.
        EmbeddingVersion version = versions.active(tenant);
        String tag = version.tag();
        int candidates = Math.max(properties.candidates(), request.k());
        KeywordQuery query = KeywordQuery.parse(request.q());
        CompletableFuture<List<LegHit>> keyword = CompletableFuture.completedFuture(List.of());
        if (request.mode().usesKeyword()) {
            statistics.refreshIfStale(tenant, tag);
            keyword = CompletableFuture.supplyAsync(
                    () -> keywordLeg.search(tenant, tag, query, request.filters(), candidates), legs);
        }
        float[] embedding = null;
        if (request.mode().usesVector()) {
            List<String> windows = QueryWindows.split(request.q());
            var model = catalog.model(version);
            // One call either way: a long query's windows are embedded together and fused.
            embedding = windows.size() == 1
                    ? calls.call(version, EmbeddingCalls.Caller.SEARCH, () -> model.embed(request.q())).content().vector()
                    : QueryWindows.fuse(windows, calls.call(version, EmbeddingCalls.Caller.SEARCH,
                            () -> model.embedAll(windows.stream().map(TextSegment::from).toList())).content());
            usage.embedded(tenant, version, request.q());
        }
        List<LegHit> keywordHits = join(keyword);
        List<LegHit> vector = List.of();
        if (embedding != null) {
            if (request.mode() == SearchMode.HYBRID && request.feedback() > 0) {
                embedding = withFeedback(tenant, tag, embedding, keywordHits, request.feedback());
            }
            vector = vectorLeg.search(tenant, version, embedding, request.filters(), candidates);
        }
        Map<String, Duration> halfLives = request.weights().halfLife() == null ? settings.halfLives(tenant) : Map.of();
        List<FusedHit> fused = Fusion.fuse(keywordHits, vector, request.weights(), halfLives, clock.instant(),
                request.k());
        Map<Long, PgHitDetails.Details> loaded = details.load(tenant, fused.stream().map(FusedHit::chunkId).toList(),
                query);
        List<SearchHit> hits = new ArrayList<>(fused.size());
        for (FusedHit hit : fused) {
            PgHitDetails.Details d = loaded.get(hit.chunkId());
            if (d != null) hits.add(SearchHit.of(hit, d)); // deleted between the legs and now: drop it
        }
        return new SearchResults(request.q(), request.k(), request.mode().name().toLowerCase(java.util.Locale.ROOT),
                request.filters().collection(), tag, hits);
    }

    /**
     * Pseudo-relevance feedback across the legs: the embeddings of the keyword leg's best chunks move the
     * query's embedding towards them before the vector leg runs, so the words BM25 matched teach the vector
     * leg what the query is about. On Cranfield it lifts hybrid nDCG@10 from 0.395 to 0.41 (bin/quarry bench
     * retrieval). Feeding back the keyword leg (rather than a first fusion) costs no second vector query:
     * the embedding is computed while the keyword leg runs anyway.
     */
    private float[] withFeedback(String tenant, String tag, float[] embedding, List<LegHit> keyword, int hits) {
        if (keyword.isEmpty()) return embedding;
        List<Long> best = keyword.stream().limit(hits).map(LegHit::chunkId).toList();
        List<float[]> feedback = vectorLeg.embeddings(tenant, tag, best);
        float[] expanded = embedding.clone();
        for (float[] hit : feedback) {
            for (int i = 0; i < expanded.length; i++) {
                expanded[i] += (float) (properties.feedbackWeight() / feedback.size()) * hit[i];
            }
        }
        return expanded;
    }

    private static List<LegHit> join(CompletableFuture<List<LegHit>> leg) {
        try {
            return leg.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }

    @PreDestroy
    void stop() {
        legs.shutdownNow();
    }
}
