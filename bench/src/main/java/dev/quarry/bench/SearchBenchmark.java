package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Tokens;
import dev.quarry.testing.Stats;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bin/quarry bench search: search latency at 100,000 chunks through the real HTTP API (query embedding,
 * both legs, fusion, snippets: what a client waits for), per mode, against a reference measured in the
 * same run: the raw pgvector query (HNSW, top 100, tenant filter) over JDBC with a precomputed embedding.
 * The corpus is loaded straight into PostgreSQL by {@link SyntheticChunks}. Percentiles are taken per
 * run over all queries after a warm-up; the table shows their medians over the runs.
 */
public final class SearchBenchmark {
    private static final String[] MODES = {"hybrid", "vector", "keyword"};
    private final Args args;
    private final Cranfield cranfield;

    private SearchBenchmark(Args args) throws Exception {
        this.args = args;
        this.cranfield = Cranfield.load(Path.of(args.get("dataset")));
    }

    public static void main(String[] argv) throws Exception {
        new SearchBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int chunks = Integer.parseInt(args.get("chunks", "100000"));
        int runs = Integer.parseInt(args.get("runs", "5"));
        String tenant = args.get("tenant", "bench-search-" + chunks);
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        String version = client.search("version", "mode", "keyword").path("embeddingVersion").asText();
        EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        List<String> queries = cranfield.queries().stream().map(Cranfield.Query::text).toList();
        try (Connection db = connect()) {
            new SyntheticChunks(db, cranfield, model).ensure(tenant, version, chunks);
        }
        List<float[]> queryVectors = model.embedAll(queries.stream().map(TextSegment::from).toList()).content()
                .stream().map(e -> e.vector()).toList();

        for (int i = 0; i < 30; i++) { // warm-up: JIT, connection pools, PostgreSQL's caches
            for (String mode : MODES) client.search(queries.get(i), "mode", mode);
        }
        Map<String, List<Double>> p50 = new LinkedHashMap<>(), p95 = new LinkedHashMap<>();
        for (String name : List.of("hybrid", "vector", "keyword", "raw pgvector SQL (reference)")) {
            p50.put(name, new ArrayList<>());
            p95.put(name, new ArrayList<>());
        }
        try (Connection db = connect(); var raw = new RawVectorQuery(db, tenant, version)) {
            for (int run = 1; run <= runs; run++) {
                Map<String, List<Double>> ms = new LinkedHashMap<>();
                p50.keySet().forEach(name -> ms.put(name, new ArrayList<>()));
                for (int q = 0; q < queries.size(); q++) {
                    for (int m = 0; m < MODES.length; m++) { // rotate so no mode always runs on a warm cache
                        String mode = MODES[(q + m) % MODES.length];
                        long start = System.nanoTime();
                        JsonNode results = client.search(queries.get(q), "mode", mode);
                        ms.get(mode).add((System.nanoTime() - start) / 1e6);
                        if (results.path("hits").isEmpty() && !mode.equals("keyword")) {
                            throw new IllegalStateException(mode + " returned nothing for query " + q);
                        }
                    }
                    long start = System.nanoTime();
                    raw.run(queryVectors.get(q));
                    ms.get("raw pgvector SQL (reference)").add((System.nanoTime() - start) / 1e6);
                }
                ms.forEach((name, values) -> {
                    p50.get(name).add(Stats.percentile(values, 50));
                    p95.get(name).add(Stats.percentile(values, 95));
                });
                System.out.printf("run %d: %s%n", run, summary(ms));
            }
        }
        report(p50, p95, chunks, queries.size(), runs);
        longQueries(client, queries, runs);
    }

    /**
     * The keyword leg with hundreds of terms (issue 12): 300-word queries, each made of consecutive Cranfield
     * questions, against their own first 5 words, interleaved in the same run, through the API.
     */
    private void longQueries(QuarryClient client, List<String> queries, int runs) throws Exception {
        int count = Integer.parseInt(args.get("long-queries", "60"));
        if (count == 0) return;
        List<String> words = queries.stream().flatMap(q -> java.util.Arrays.stream(q.trim().split("\\s+"))).toList();
        List<String> long300 = new ArrayList<>(), short5 = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int from = (i * 97) % (words.size() - 300); // distinct, overlapping windows of the questions' words
            long300.add(String.join(" ", words.subList(from, from + 300)));
            short5.add(String.join(" ", words.subList(from, from + 5)));
        }
        Map<String, List<Double>> p95 = new LinkedHashMap<>();
        p95.put("5 words", new ArrayList<>());
        p95.put("300 words", new ArrayList<>());
        for (int i = 0; i < 5; i++) client.search(long300.get(i), "mode", "keyword"); // warm-up
        for (int run = 1; run <= runs; run++) {
            List<Double> five = new ArrayList<>(), three = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                five.add(timed(client, short5.get(i)));
                three.add(timed(client, long300.get(i)));
            }
            p95.get("5 words").add(Stats.percentile(five, 95));
            p95.get("300 words").add(Stats.percentile(three, 95));
            System.out.printf("long queries run %d: keyword p95 5 words %.1f ms, 300 words %.1f ms%n", run,
                    Stats.percentile(five, 95), Stats.percentile(three, 95));
        }
        System.out.println();
        System.out.printf("| keyword leg, %d queries × %d runs | p95 ms (median over runs) | p95 runs |%n", count, runs);
        System.out.println("|---|---:|---|");
        p95.forEach((name, values) -> System.out.printf("| %s | %.1f | %s |%n", name, Stats.median(values),
                Stats.runs(values)));
        System.out.printf("%n300-word / 5-word keyword p95: %.2f ×%n",
                Stats.median(p95.get("300 words")) / Stats.median(p95.get("5 words")));
    }

    private static double timed(QuarryClient client, String query) throws Exception {
        long start = System.nanoTime();
        client.search(query, "mode", "keyword");
        return (System.nanoTime() - start) / 1e6;
    }

    private static String summary(Map<String, List<Double>> ms) {
        StringBuilder out = new StringBuilder();
        ms.forEach((name, values) -> out.append(String.format("%s p50 %.1f p95 %.1f ms; ", name,
                Stats.percentile(values, 50), Stats.percentile(values, 95))));
        return out.toString();
    }

    private static void report(Map<String, List<Double>> p50, Map<String, List<Double>> p95, int chunks, int queries,
                               int runs) {
        double hybrid95 = Stats.median(p95.get("hybrid")), vector95 = Stats.median(p95.get("vector"));
        System.out.println();
        System.out.printf("| %,d chunks, %d queries × %d runs (medians of per-run percentiles) | p50 ms | p95 ms | p95 runs |%n",
                chunks, queries, runs);
        System.out.println("|---|---:|---:|---|");
        p50.keySet().forEach(name -> System.out.printf("| %s | %.1f | %.1f | %s |%n", name,
                Stats.median(p50.get(name)), Stats.median(p95.get(name)), Stats.runs(p95.get(name))));
        System.out.printf("%ntargets: hybrid p95 < 50 ms: %.1f ms %s; hybrid p95 ≤ 2 × vector-only p95: %.2f × %s%n",
                hybrid95, hybrid95 < 50 ? "met" : "MISSED", hybrid95 / vector95,
                hybrid95 <= 2 * vector95 ? "met" : "MISSED");
        System.out.printf("machine: %d cores, %.1f GiB RAM; java %s%n", Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(args.get("db-url"), args.get("db-user"), args.get("db-password"));
    }
}
