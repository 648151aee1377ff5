package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.RetrievalCollection;
import dev.quarry.testing.RetrievalMetrics;
import dev.quarry.testing.Tokens;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bin/quarry bench retrieval [collection] (--collection): every test collection (or the one named) ingested through the
 * real API and worker into its own tenant, then its judged queries through the real search API in each
 * mode (top 100), side by side with three peers computed in the same run on the same documents and
 * queries: Lucene BM25 (EnglishAnalyzer, default BM25Similarity), brute-force cosine over the very
 * embeddings the worker stored (query embedded by the same model), and plain RRF (k = 60) of those two.
 * Chunk hits are collapsed to documents, each keeping its best rank.
 *
 * <p>Tuning loops stay cheap: the tenant is {@code <tenant-prefix>-<collection>}, and a tenant that
 * already holds the collection is reused (uploads replay by Idempotency-Key, nothing is embedded again);
 * {@code --params "rrfK=60&feedback=0"} adds a hybrid row with those request parameters;
 * {@code --params "rrfK=60;rrfK=20&feedback=0"} adds one row per set.
 */
public final class RetrievalBenchmark {
    private static final String LUCENE = "Lucene BM25";
    private static final String DENSE = "brute-force cosine";
    private static final String RRF = "plain RRF (k=60) of the two";
    private final Args args;
    private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private RetrievalBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String only = args.get("collection", "");
        List<String> names = only.isEmpty() ? RetrievalCollection.NAMES : List.of(only);
        var benchmark = new RetrievalBenchmark(args);
        Map<String, Map<String, Scores>> all = new LinkedHashMap<>();
        for (String name : names) all.put(name, benchmark.run(name));
        if (all.size() > 1) summary(all);
    }

    record Scores(double ndcg10, double map, double recall100, double msPerQuery) {
    }

    private Map<String, Scores> run(String name) throws Exception {
        Path datasets = Path.of(args.get("datasets"));
        RetrievalCollection collection = RetrievalCollection.load(name, datasets.resolve(name));
        String tenant = args.get("tenant-prefix", "bench-retrieval") + "-" + name;
        var ingest = new CollectionIngest(args).ingest(tenant, name, collection.docs());
        System.out.printf("%n## %s: %d documents as %d chunks (tenant %s; ingest %.1f s, 0 if reused)%n", name,
                ingest.documents(), ingest.chunks(), tenant, ingest.seconds());
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        waitForFreshStatistics(client, tenant);
        int k = Integer.parseInt(args.get("k", "100"));
        Map<String, Scores> rows = new LinkedHashMap<>();
        for (String mode : List.of("keyword", "vector", "hybrid")) {
            rows.put("Quarry " + mode, score(collection, quarry(client, name, "mode", mode, "k", Integer.toString(k))));
        }
        // Several parameter sets, separated by ';', each its own row: a fusion sweep costs one run.
        for (String extra : args.get("params", "").split(";")) {
            if (extra.isBlank()) continue;
            List<String> params = new ArrayList<>(List.of("mode", "hybrid", "k", Integer.toString(k)));
            for (String pair : extra.split("&")) params.addAll(List.of(pair.split("=", 2)));
            rows.put("Quarry hybrid, " + extra, score(collection, quarry(client, name, params.toArray(String[]::new))));
        }
        Map<String, List<Integer>> luceneRuns = new HashMap<>(), denseRuns = new HashMap<>();
        try (var lucene = new LuceneBm25(collection.docs()); Connection db = CollectionIngest.connect(args)) {
            var dense = new BruteForceCosine(db, tenant, name);
            rows.put(LUCENE, score(collection, q -> luceneRuns.computeIfAbsent(q, t -> search(lucene, t, k))));
            rows.put(DENSE, score(collection, q -> denseRuns.computeIfAbsent(q,
                    t -> dense.search(model.embed(t).content().vector(), k))));
        }
        rows.put(RRF, score(collection, q -> PlainRrf.fuse(luceneRuns.get(q), denseRuns.get(q), k)));
        report(name, collection, rows);
        return rows;
    }

    private static List<Integer> search(LuceneBm25 lucene, String query, int k) {
        try {
            return lucene.search(query, k);
        } catch (Exception e) {
            throw new IllegalStateException("Lucene could not run " + query, e);
        }
    }

    /** The first search schedules the BM25 statistics refresh; measure once it has landed. */
    private void waitForFreshStatistics(QuarryClient client, String tenant) throws Exception {
        client.search("warm up", "mode", "keyword");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Connection db = CollectionIngest.connect(args)) {
            // Autovacuum would get there within a minute or so; until then the planner takes the tenant
            // it has never seen for a tiny one and joins documents through the wrong index (~0.4 s a search).
            try (var analyze = db.createStatement()) {
                analyze.execute("analyze documents");
                analyze.execute("analyze chunks");
            }
            while (CollectionIngest.count(db, "select count(*) from search_stats_dirty where tenant_id = ?", tenant) > 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("statistics were not refreshed");
                Thread.sleep(500); // polling an external system from a benchmark driver, not a test
                client.search("warm up", "mode", "keyword");
            }
        }
    }

    interface Ranker {
        List<Integer> rank(String query) throws Exception;
    }

    private static Ranker quarry(QuarryClient client, String collection, String... params) {
        return query -> {
            JsonNode results = client.search(query, params);
            Set<Integer> documents = new LinkedHashSet<>(); // insertion order keeps each document's best rank
            for (JsonNode hit : results.path("hits")) {
                String source = hit.path("source").asText();
                if (source.startsWith(collection + "/")) {
                    documents.add(Integer.parseInt(source.substring(collection.length() + 1)));
                }
            }
            return new ArrayList<>(documents);
        };
    }

    private static Scores score(RetrievalCollection collection, Ranker ranker) throws Exception {
        double ndcg = 0, ap = 0, recall = 0;
        long start = System.nanoTime();
        for (RetrievalCollection.Query query : collection.queries()) {
            Map<Integer, Integer> grades = collection.grades().get(query.number());
            List<Integer> ranking = ranker.rank(query.text());
            ndcg += RetrievalMetrics.ndcg(ranking, grades, 10);
            ap += RetrievalMetrics.averagePrecision(ranking, grades);
            recall += RetrievalMetrics.recall(ranking, grades, 100);
        }
        int n = collection.queries().size();
        return new Scores(ndcg / n, ap / n, recall / n, (System.nanoTime() - start) / 1e6 / n);
    }

    private static void report(String name, RetrievalCollection collection, Map<String, Scores> rows) {
        Scores lucene = rows.get(LUCENE), rrf = rows.get(RRF);
        System.out.printf("%n%s, %d judged queries:%n%n", name, collection.queries().size());
        System.out.println("| run | nDCG@10 | MAP | Recall@100 | nDCG@10 / Lucene | nDCG@10 / plain RRF | MAP / Lucene | ms/query |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach((run, s) -> System.out.printf("| %s | %.4f | %.4f | %.4f | %.3f × | %.3f × | %.3f × | %.1f |%n", run,
                s.ndcg10(), s.map(), s.recall100(), s.ndcg10() / lucene.ndcg10(), s.ndcg10() / rrf.ndcg10(),
                s.map() / lucene.map(), s.msPerQuery()));
        Scores hybrid = rows.get("Quarry hybrid"), keyword = rows.get("Quarry keyword"), vector = rows.get("Quarry vector");
        System.out.printf("%ngoals (%s): keyword ≥ 0.95 × Lucene: %.3f × %s; hybrid ≥ better leg: %s; "
                        + "hybrid ≥ plain RRF: %.3f × %s%n", name,
                keyword.ndcg10() / lucene.ndcg10(), verdict(keyword.ndcg10() >= 0.95 * lucene.ndcg10()),
                verdict(hybrid.ndcg10() >= Math.max(keyword.ndcg10(), vector.ndcg10())),
                hybrid.ndcg10() / rrf.ndcg10(), verdict(hybrid.ndcg10() >= rrf.ndcg10()));
    }

    private static void summary(Map<String, Map<String, Scores>> all) {
        System.out.println("\n## all collections, nDCG@10\n");
        System.out.println("| collection | Lucene | dense | plain RRF | Quarry keyword | Quarry vector | Quarry hybrid | "
                + "keyword / Lucene | hybrid / Lucene | hybrid / plain RRF |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        double ratioSum = 0;
        for (var entry : all.entrySet()) {
            var r = entry.getValue();
            double lucene = r.get(LUCENE).ndcg10(), rrf = r.get(RRF).ndcg10(), hybrid = r.get("Quarry hybrid").ndcg10();
            ratioSum += hybrid / lucene;
            System.out.printf("| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.3f × | %.3f × | %.3f × |%n",
                    entry.getKey(), lucene, r.get(DENSE).ndcg10(), rrf, r.get("Quarry keyword").ndcg10(),
                    r.get("Quarry vector").ndcg10(), hybrid, r.get("Quarry keyword").ndcg10() / lucene,
                    hybrid / lucene, hybrid / rrf);
        }
        double mean = ratioSum / all.size();
        System.out.printf("%nmean hybrid / Lucene over collections: %.3f × (goal ≥ 1.10: %s)%n", mean, verdict(mean >= 1.10));
        System.out.printf("machine: %d cores, %.1f GiB RAM; java %s%n", Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }
}
