package dev.quarry.bench;

import dev.quarry.jobs.JobStatus;
import dev.quarry.testing.Cranfield;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Tokens;
import dev.quarry.testing.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bin/quarry bench reingest: Cranfield's first ingest through the real API and worker (the reference),
 * then {@code POST /api/v1/documents/{id}/reingest} of every document, unchanged, in the same run and with
 * the same concurrency, then one bulk {@code POST /api/v1/documents/reingest} of the collection. The first two
 * wall times run from the first request to the last job's {@code finished_at}; the bulk one until its answer
 * and the end of any job it queued.
 * The worker's {@code quarry_embedding_segments_total} is read before and after the re-ingest: it must not
 * move.
 */
public final class ReingestBenchmark {
    private final Args args;
    private final CranfieldIngest ingest;

    private ReingestBenchmark(Args args) throws Exception {
        this.args = args;
        this.ingest = new CranfieldIngest(args, Cranfield.load(java.nio.file.Path.of(args.get("dataset"))));
    }

    public static void main(String[] argv) throws Exception {
        new ReingestBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int rounds = Integer.parseInt(args.get("rounds", "3"));
        String runId = Long.toString(System.currentTimeMillis(), 36);
        List<Double> first = new ArrayList<>(), again = new ArrayList<>(), ratios = new ArrayList<>();
        List<Double> bulk = new ArrayList<>(), bulkRatios = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            String tenant = "bench-reingest-" + runId + "-" + r;
            CranfieldIngest.Result result = ingest.ingest(tenant);
            double embeddedBefore = segmentsEmbedded();
            double seconds = reingestAll(tenant);
            double embedded = segmentsEmbedded() - embeddedBefore;
            first.add(result.seconds());
            again.add(seconds);
            ratios.add(result.seconds() / seconds);
            System.out.printf("round %d: first ingest %d docs in %.1f s; re-ingest unchanged in %.2f s (%.1f ×), "
                    + "segments embedded meanwhile: %.0f%n", r, result.documents(), result.seconds(), seconds,
                    result.seconds() / seconds, embedded);
            embeddedBefore = segmentsEmbedded();
            double bulkSeconds = reingestCollection(tenant);
            embedded = segmentsEmbedded() - embeddedBefore;
            bulk.add(bulkSeconds);
            bulkRatios.add(result.seconds() / bulkSeconds);
            System.out.printf("round %d: bulk re-ingest of the collection in %.3f s (%.0f ×), segments embedded "
                    + "meanwhile: %.0f%n", r, bulkSeconds, result.seconds() / bulkSeconds, embedded);
        }
        System.out.println();
        System.out.println("| measure (median of " + rounds + " rounds) | seconds | runs | ratio |");
        System.out.println("|---|---:|---|---:|");
        System.out.printf("| first ingest of Cranfield (reference) | %.1f | %s | — |%n", Stats.median(first), Stats.runs(first));
        System.out.printf("| re-ingest of every document, unchanged | %.2f | %s | **%.1f ×** faster (target ≥ 20 ×); per round %s |%n",
                Stats.median(again), Stats.runs(again), Stats.median(ratios), Stats.runs(ratios));
        System.out.printf("| bulk re-ingest of the collection, unchanged | %.3f | %s | **%.0f ×** faster (target ≥ 20 ×); per round %s |%n",
                Stats.median(bulk), millis(bulk), Stats.median(bulkRatios), Stats.runs(bulkRatios));
        System.out.printf("%nmachine: %d cores; java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    private double reingestAll(String tenant) throws Exception {
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        int concurrency = Integer.parseInt(args.get("concurrency", "8"));
        try (Connection db = ingest.connect()) {
            List<UUID> documents = ids(db, tenant);
            Instant start = CranfieldIngest.dbNow(db);
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<UUID>> jobs = new ArrayList<>();
            for (UUID id : documents) jobs.add(pool.submit(() -> client.reingest(id, "reingest-" + id)));
            try {
                for (Future<UUID> f : jobs) f.get();
            } finally {
                pool.shutdown();
            }
            String finished = "select count(*), max(finished_at) from jobs where tenant_id = ? and created_at >= ? "
                    + "and status in (" + JobStatus.sql(JobStatus.TERMINAL) + ")";
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (true) {
                try (var st = db.prepareStatement(finished)) {
                    st.setString(1, tenant);
                    st.setTimestamp(2, Timestamp.from(start));
                    ResultSet rs = st.executeQuery();
                    rs.next();
                    if (rs.getInt(1) >= documents.size()) {
                        return Duration.between(start, rs.getTimestamp(2).toInstant()).toNanos() / 1e9;
                    }
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("re-ingest did not finish in 30 min");
                Thread.sleep(20); // polling an external system from a benchmark driver, not a test
            }
        }
    }

    /**
     * One {@code POST /api/v1/documents/reingest} of the collection, timed from sending it until it was
     * answered and every job it queued (none when nothing changed) has finished.
     */
    private double reingestCollection(String tenant) throws Exception {
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        try (Connection db = ingest.connect()) {
            Instant since = CranfieldIngest.dbNow(db);
            long start = System.nanoTime();
            var summary = client.reingestAll("{\"collection\": \"cranfield\"}", "bulk-" + tenant);
            int queued = summary.path("queued").asInt();
            long deadline = start + Duration.ofMinutes(30).toNanos();
            while (finishedSince(db, tenant, since) < queued) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("bulk re-ingest did not finish in 30 min");
                Thread.sleep(20); // polling an external system from a benchmark driver, not a test
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("bulk summary: " + summary);
            return seconds;
        }
    }

    private static int finishedSince(Connection db, String tenant, Instant since) throws SQLException {
        try (var st = db.prepareStatement("select count(*) from jobs where tenant_id = ? and created_at >= ? "
                + "and status in (" + JobStatus.sql(JobStatus.TERMINAL) + ")")) {
            st.setString(1, tenant);
            st.setTimestamp(2, Timestamp.from(since));
            ResultSet rs = st.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Runs of well under a second, in seconds to the millisecond (Stats.runs keeps one decimal). */
    private static String millis(List<Double> seconds) {
        return seconds.stream().map(v -> String.format("%.3f", v)).toList().toString();
    }

    /** The worker's own count of segments its model embedded. */
    private double segmentsEmbedded() throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(args.get("worker", "http://localhost:8081") + "/actuator/prometheus"))
                        .header("Authorization", args.workerAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("quarry_embedding_segments_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<UUID> ids(Connection db, String tenant) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (var st = db.prepareStatement("select id from documents where tenant_id = ?")) {
            st.setString(1, tenant);
            ResultSet rs = st.executeQuery();
            while (rs.next()) ids.add(rs.getObject(1, UUID.class));
        }
        return ids;
    }
}
