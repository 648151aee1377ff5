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
