package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Stats;
import dev.quarry.testing.Tokens;
import org.postgresql.PGConnection;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bin/quarry bench export: a synthetic tenant of {@code --megabytes} of document texts (plus as much again in
 * chunk texts, and the originals), exported as JSON and as ZIP through the real API and worker, against a raw
 * {@code COPY ... TO STDOUT} of the same rows measured in the same run, the limit of what reading them costs.
 * The ratio is of times: how long COPY takes to read the rows over how long the export takes to read and
 * write them (a ratio of MB/s would compare a compressed ZIP's size with the uncompressed rows' size, and a
 * JSON file's size, larger than the rows, with the rows'). Export throughput is the file's size over the job's own run time ({@code started_at} to
 * {@code finished_at}: JobRunr's pickup delay is not the exporter's). The worker's heap is sampled every
 * 100 ms from its {@code jvm_memory_used_bytes{area="heap"}} during each export; the peak is reported against
 * the export's size and the worker's maximum heap.
 */
public final class ExportBenchmark {
    private final Args args;
    private final HttpClient http = HttpClient.newHttpClient();

    private ExportBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new ExportBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int megabytes = Integer.parseInt(args.get("megabytes", "300"));
        int runs = Integer.parseInt(args.get("runs", "3"));
        String tenant = args.get("tenant", "bench-export-" + megabytes);
        QuarryClient client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        String version = client.search("version", "mode", "keyword").path("embeddingVersion").asText();
        try (Connection db = connect()) {
            new SyntheticDocuments(db).ensure(tenant, version, megabytes);
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>(), ratios = new LinkedHashMap<>(),
                heaps = new LinkedHashMap<>(), sizes = new LinkedHashMap<>();
        for (int r = 1; r <= runs; r++) {
            for (String format : List.of("json", "zip")) {
                Copied raw = rawCopy(tenant, version, format.equals("zip"));
                Measured export = export(client, tenant, format);
                double mbps = export.bytes / 1e6 / export.seconds;
                rates.computeIfAbsent(format, k -> new ArrayList<>()).add(mbps);
                rates.computeIfAbsent(format + " raw COPY", k -> new ArrayList<>()).add(raw.mbps());
                ratios.computeIfAbsent(format, k -> new ArrayList<>()).add(raw.seconds() / export.seconds);
                heaps.computeIfAbsent(format, k -> new ArrayList<>()).add(export.peakHeap / 1e6);
                sizes.computeIfAbsent(format, k -> new ArrayList<>()).add(export.bytes / 1e6);
                System.out.printf("run %d %s: %.0f MB in %.2f s = %.1f MB/s; raw COPY of the rows %.0f MB in %.2f s = "
                                + "%.1f MB/s (time ratio %.2f ×); worker heap peak %.0f MB of %.0f MB max%n", r, format,
                        export.bytes / 1e6, export.seconds, mbps, raw.bytes() / 1e6, raw.seconds(), raw.mbps(),
                        raw.seconds() / export.seconds, export.peakHeap / 1e6, export.maxHeap / 1e6);
            }
        }
        System.out.println();
        System.out.println("| export (median of " + runs + " runs) | file MB | MB/s | raw COPY MB/s | COPY time / export time | worker heap peak MB |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String format : List.of("json", "zip")) {
            System.out.printf("| %s | %.0f | %.1f (%s) | %.1f | **%.2f ×** (target ≥ 0.5 ×, ≥ 50 MB/s) | %.0f |%n",
                    format, Stats.median(sizes.get(format)), Stats.median(rates.get(format)), Stats.runs(rates.get(format)),
                    Stats.median(rates.get(format + " raw COPY")), Stats.median(ratios.get(format)),
                    Stats.median(heaps.get(format)));
        }
        System.out.printf("%nmachine: %d cores, %.0f GiB; java %s%n", Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private record Measured(long bytes, double seconds, double peakHeap, double maxHeap) {
    }

    private Measured export(QuarryClient client, String tenant, String format) throws Exception {
        HeapSampler heap = new HeapSampler(args.get("worker"), args.workerAuthorization(), http);
        heap.start();
        String id;
        JsonNode status;
        try {
            id = client.export("{\"format\":\"" + format + "\",\"scope\":{\"all\":true}}", UUID.randomUUID().toString())
                    .path("exportId").asText();
            do {
                Thread.sleep(200); // polling the export's status: the benchmark waits for the job, not an outcome
                status = client.get("/api/v1/exports/" + id);
            } while (!List.of("SUCCEEDED", "FAILED", "DEAD_LETTERED", "CANCELLED").contains(status.path("status").asText()));
        } finally {
            heap.stop();
        }
        if (!status.path("status").asText().equals("SUCCEEDED")) throw new IllegalStateException("export " + status);
        double seconds;
        try (Connection db = connect(); var q = db.prepareStatement(
                "select extract(epoch from finished_at - started_at) from jobs where id = ?")) {
            q.setObject(1, UUID.fromString(id));
            var rs = q.executeQuery();
            rs.next();
            seconds = rs.getDouble(1);
        }
        return new Measured(status.path("sizeBytes").asLong(), seconds, heap.peak(), heap.max());
    }

    private record Copied(long bytes, double seconds) {
        double mbps() {
            return bytes / 1e6 / seconds;
        }
    }

    /** COPY ... TO STDOUT of the rows the export reads (with the originals for a ZIP), into nothing. */
    private Copied rawCopy(String tenant, String version, boolean withContent) throws Exception {
        AtomicLong bytes = new AtomicLong();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.addAndGet(len);
            }
        };
        String t = tenant.replace("'", "''"), v = version.replace("'", "''");
        long start = System.nanoTime();
        try (Connection db = connect()) {
            var copy = db.unwrap(PGConnection.class).getCopyAPI();
            copy.copyOut("copy (select d.id, d.title, d.collection, d.tags, d.media_type, d.filename, d.size_bytes, "
                    + "d.created_at, t.text" + (withContent ? ", c.bytes" : "") + " from documents d "
                    + "left join document_texts t on t.document_id = d.id "
                    + (withContent ? "left join document_contents c on c.document_id = d.id " : "")
                    + "where d.tenant_id = '" + t + "' order by d.id) to stdout", sink);
            copy.copyOut("copy (select document_id, ordinal, token_count, embedding_version, text from chunks "
                    + "where tenant_id = '" + t + "' and embedding_version = '" + v + "') to stdout", sink);
        }
        return new Copied(bytes.get(), (System.nanoTime() - start) / 1e9);
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(args.get("db-url"), args.get("db-user"), args.get("db-password"));
    }

    /** The worker's heap in use, sampled from its Prometheus endpoint on a thread of its own. */
    private static final class HeapSampler {
        private final String worker;
        private final String authorization;
        private final HttpClient http;
        private volatile int samples;
        private volatile boolean running = true;
        private volatile double peak;
        private volatile double max;
        private Thread thread;

        HeapSampler(String worker, String authorization, HttpClient http) {
            this.worker = worker;
            this.authorization = authorization;
            this.http = http;
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(Duration.ofMillis(100).toMillis()); // the sampling period
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            // A peak of 0 read as "constant memory" once, when every sample was refused (401): fail instead.
            if (samples == 0) throw new IllegalStateException("the worker's heap was never sampled from " + worker);
        }

        double peak() {
            return peak;
        }

        double max() {
            return max;
        }

        private void sample() {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(worker + "/actuator/prometheus")).header("Authorization", authorization).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) return;
                String body = response.body();
                samples++;
                peak = Math.max(peak, sum(body, "jvm_memory_used_bytes{area=\"heap\""));
                max = Math.max(max, sum(body, "jvm_memory_max_bytes{area=\"heap\""));
            } catch (Exception e) {
                // a missed sample: the next one counts
            }
        }

        private static double sum(String metrics, String prefix) {
            return metrics.lines().filter(line -> line.startsWith(prefix))
                    .mapToDouble(line -> Math.max(0, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
                    .sum();
        }
    }
}
