package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.quarry.testing.RetrievalMetrics;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bin/quarry bench retrieval: Cranfield ingested through the real API and worker, then its 225 queries
 * through the real search API in each mode (top 100), against Lucene BM25 (EnglishAnalyzer, default
 * parameters) on the same documents and queries in the same run. Chunk hits are collapsed to documents,
 * each keeping its best rank.
 */
public final class RetrievalBenchmark {
    private static final String[] MODES = {"keyword", "vector", "hybrid"};
    private final Args args;
    private final Cranfield cranfield;

    private RetrievalBenchmark(Args args) throws Exception {
        this.args = args;
        this.cranfield = Cranfield.load(Path.of(args.get("dataset")));
    }

    public static void main(String[] argv) throws Exception {
        new RetrievalBenchmark(new Args(argv)).run();
    }

    record Scores(double ndcg10, double map, double recall100, double msPerQuery) {
    }

    private void run() throws Exception {
        var ingest = new CranfieldIngest(args, cranfield);
        String tenant = args.get("tenant", "");
        if (tenant.isEmpty()) {
            tenant = args.get("tenant-prefix", "bench-retrieval") + "-" + Long.toString(System.currentTimeMillis(), 36);
            var result = ingest.ingest(tenant);
            System.out.printf("ingested %d documents as %d chunks in %.1f s (tenant %s)%n", result.documents(),
                    result.chunks(), result.seconds(), tenant);
        } else {
            System.out.println("reusing the documents of tenant " + tenant);
        }
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        waitForFreshStatistics(client, ingest, tenant);
        int k = Integer.parseInt(args.get("k", "100"));
        Map<String, Scores> rows = new LinkedHashMap<>();
        for (String mode : MODES) rows.put("Quarry " + mode, quarry(client, k, "mode", mode));
        // The same fusion without feeding the best hits back into the vector query: what feedback adds.
        rows.put("Quarry hybrid, feedback=0", quarry(client, k, "mode", "hybrid", "feedback", "0"));
        try (var lucene = new LuceneBm25(cranfield.docs())) {
            rows.put("Lucene BM25 (peer)", score(query -> lucene.search(query, k)));
        }
        report(rows, tenant);
    }

    /** The first search schedules the BM25 statistics refresh; measure once it has landed. */
    private void waitForFreshStatistics(QuarryClient client, CranfieldIngest ingest, String tenant) throws Exception {
        client.search("warm up", "mode", "keyword");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Connection db = ingest.connect()) {
            // Autovacuum would get there within a minute or so; until then the planner takes the tenant
            // it has never seen for a tiny one and joins documents through the wrong index (~0.4 s a search).
            try (var analyze = db.createStatement()) {
                analyze.execute("analyze documents");
                analyze.execute("analyze chunks");
            }
            while (CranfieldIngest.count(db, "select count(*) from search_stats_dirty where tenant_id = ?", tenant) > 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("statistics were not refreshed");
                Thread.sleep(500); // polling an external system from a benchmark driver, not a test
                client.search("warm up", "mode", "keyword");
            }
        }
    }

    interface Ranker {
        List<Integer> rank(String query) throws Exception;
    }

    private Scores quarry(QuarryClient client, int k, String... params) throws Exception {
        String[] all = java.util.Arrays.copyOf(params, params.length + 2);
        all[params.length] = "k";
        all[params.length + 1] = Integer.toString(k);
        return score(query -> {
            JsonNode results = client.search(query, all);
            Set<Integer> documents = new LinkedHashSet<>(); // insertion order keeps each document's best rank
            for (JsonNode hit : results.path("hits")) {
                String source = hit.path("source").asText();
                if (source.startsWith("cranfield/")) documents.add(Integer.parseInt(source.substring(10)));
            }
            return new ArrayList<>(documents);
        });
    }

    private Scores score(Ranker ranker) throws Exception {
        double ndcg = 0, ap = 0, recall = 0;
        int n = 0;
        long start = System.nanoTime();
        for (Cranfield.Query query : cranfield.queries()) {
            Map<Integer, Integer> grades = cranfield.grades().get(query.number());
            List<Integer> ranking = ranker.rank(query.text());
            if (grades == null || grades.values().stream().noneMatch(RetrievalMetrics::relevant)) continue;
            ndcg += RetrievalMetrics.ndcg(ranking, grades, 10);
            ap += RetrievalMetrics.averagePrecision(ranking, grades);
            recall += RetrievalMetrics.recall(ranking, grades, 100);
            n++;
        }
        double ms = (System.nanoTime() - start) / 1e6 / cranfield.queries().size();
        return new Scores(ndcg / n, ap / n, recall / n, ms);
    }

    private void report(Map<String, Scores> rows, String tenant) {
        Scores lucene = rows.get("Lucene BM25 (peer)");
        System.out.println();
        System.out.println("| run | nDCG@10 | MAP | Recall@100 | nDCG@10 / Lucene | MAP / Lucene | ms/query |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        rows.forEach((name, s) -> System.out.printf("| %s | %.4f | %.4f | %.4f | %.3f × | %.3f × | %.1f |%n", name,
                s.ndcg10(), s.map(), s.recall100(), s.ndcg10() / lucene.ndcg10(), s.map() / lucene.map(), s.msPerQuery()));
        Scores hybrid = rows.get("Quarry hybrid");
        Scores keyword = rows.get("Quarry keyword");
        Scores vector = rows.get("Quarry vector");
        System.out.printf("%ntargets: hybrid nDCG@10 ≥ 1.15 × Lucene: %.3f × %s; keyword ≥ 0.95 × Lucene: %.3f × %s; "
                        + "hybrid > each leg: %s%n",
                hybrid.ndcg10() / lucene.ndcg10(), verdict(hybrid.ndcg10() >= 1.15 * lucene.ndcg10()),
                keyword.ndcg10() / lucene.ndcg10(), verdict(keyword.ndcg10() >= 0.95 * lucene.ndcg10()),
                verdict(hybrid.ndcg10() > keyword.ndcg10() && hybrid.ndcg10() > vector.ndcg10()));
        System.out.printf("queries: %d (225 in cran.qry, those with relevant documents scored); tenant %s%n",
                cranfield.queries().size(), tenant);
        System.out.printf("machine: %d cores, %.1f GiB RAM; java %s%n", Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }
}
