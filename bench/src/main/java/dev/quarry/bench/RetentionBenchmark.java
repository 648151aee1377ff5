package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Stats;
import dev.quarry.testing.Tokens;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Search latency while the retention sweep deletes a large expired corpus, against the same searches idle,
 * in the same run. A searched tenant holds {@code --chunks} synthetic chunks (100,000 by default); another
 * tenant holds {@code --expired-chunks} (50,000) in documents aged past every retention period. Hybrid
 * searches run idle for {@code --runs} rounds of Cranfield's queries; then the worker's recurring sweep is
 * triggered through JobRunr's dashboard and the same searches run until the expired tenant is empty. The
 * report: p50/p95 idle and during the sweep, their ratio, and the sweep's duration and documents per second.
 */
public final class RetentionBenchmark {
    private final Args args;

    private RetentionBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new RetentionBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int chunks = Integer.parseInt(args.get("chunks", "100000"));
        int expiredChunks = Integer.parseInt(args.get("expired-chunks", "50000"));
        int runs = Integer.parseInt(args.get("runs", "3"));
        String tenant = args.get("tenant", "bench-search-" + chunks);
        String expiredTenant = "bench-retention-expired";
        Cranfield cranfield = Cranfield.load(Path.of(args.get("dataset")));
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        String version = client.search("version", "mode", "keyword").path("embeddingVersion").asText();
        List<String> queries = cranfield.queries().stream().map(Cranfield.Query::text).toList();
        try (Connection db = connect()) {
            var corpus = new SyntheticChunks(db, cranfield, new AllMiniLmL6V2QuantizedEmbeddingModel());
            corpus.ensure(tenant, version, chunks);
            corpus.ensure(expiredTenant, version, expiredChunks);
            try (var age = db.prepareStatement("update documents set updated_at = now() - interval '10 years' where tenant_id = ?")) {
                age.setString(1, expiredTenant);
                age.executeUpdate();
            }
        }
        for (int i = 0; i < 30; i++) client.search(queries.get(i), "mode", "hybrid"); // warm-up

        List<Double> idle = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            for (String q : queries) idle.add(timed(client, q));
        }
        List<Double> duringSweep = new ArrayList<>();
        long documents;
        try (Connection db = connect()) {
            documents = remaining(db, expiredTenant);
            long start = System.nanoTime();
            trigger(args.get("dashboard", "http://localhost:8000"), args.workerAuthorization());
            int q = 0;
            while (remaining(db, expiredTenant) > 0) {
                duringSweep.add(timed(client, queries.get(q++ % queries.size())));
                if ((System.nanoTime() - start) / 1e9 > Double.parseDouble(args.get("timeout-seconds", "1800"))) {
                    throw new IllegalStateException("the sweep did not finish in time; is the worker running?");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            report(chunks, expiredChunks, documents, seconds, idle, duringSweep);
        }
    }

    private static double timed(QuarryClient client, String query) throws Exception {
        long start = System.nanoTime();
        client.search(query, "mode", "hybrid");
        return (System.nanoTime() - start) / 1e6;
    }

    private static long remaining(Connection db, String tenant) throws Exception {
        return CranfieldIngest.count(db, "select count(*) from documents where tenant_id = ?", tenant);
    }

    /** Runs the worker's recurring sweep now, as the dashboard's "trigger" button does. */
    private static void trigger(String dashboard, String authorization) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(dashboard + "/api/recurring-jobs/retention-sweep/trigger"))
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("JobRunr did not trigger the sweep: " + response.statusCode() + " " + response.body());
        }
    }

    private static void report(int chunks, int expiredChunks, long documents, double seconds, List<Double> idle,
                               List<Double> duringSweep) {
        double idle95 = Stats.percentile(idle, 95), sweep95 = duringSweep.isEmpty() ? Double.NaN : Stats.percentile(duringSweep, 95);
        System.out.println();
        System.out.printf("| hybrid search at %,d chunks | searches | p50 ms | p95 ms |%n", chunks);
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| idle (reference) | %d | %.1f | %.1f |%n", idle.size(), Stats.percentile(idle, 50), idle95);
        System.out.printf("| during the retention sweep | %d | %.1f | %.1f |%n", duringSweep.size(),
                duringSweep.isEmpty() ? Double.NaN : Stats.percentile(duringSweep, 50), sweep95);
        System.out.printf("%np95 during the sweep / idle: %.2f ×; the sweep deleted %,d documents (%,d chunks) in %.1f s"
                + " (%.0f documents/s)%n", sweep95 / idle95, documents, expiredChunks, seconds, documents / seconds);
        System.out.printf("machine: %d cores, %.1f GiB RAM; java %s%n", Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(args.get("db-url"), args.get("db-user"), args.get("db-password"));
    }
}
