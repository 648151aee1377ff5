package dev.quarry.bench;

import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Tokens;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bin/quarry bench throughput: jobs per second of the job platform itself, through the whole API.
 * <ul>
 *   <li><b>Quarry:</b> {@code --jobs} (2,000) uploads of one short text, {@code --concurrency} (8) in flight,
 *       from the first request to the last job SUCCEEDED. The text is uploaded and embedded once before the
 *       clock starts, so every measured job finds its chunk's embedding in the cache: what is measured is the
 *       API, the queue and release, JobRunr and the job bookkeeping, not the model. No benchmark-only job
 *       type exists for this: it would be reachable in production.</li>
 *   <li><b>JobRunr (reference):</b> {@link RawJobRunrPickup#jobsPerSecond}, the same number of no-op jobs
 *       enqueued at once, to the last SUCCEEDED, with as many threads ({@code --threads}, 24: the worker's
 *       default on 2 cores) on the same database in the same run.</li>
 * </ul>
 * Goals (issue 11): 200 jobs/s or more, and at least 0.8 × raw JobRunr.
 */
public final class ThroughputBenchmark {
    private static final String TEXT = "Throughput probe: the pump station at the north gate logs its pressure every hour.";
    private final Args args;

    private ThroughputBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new ThroughputBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int jobs = Integer.parseInt(args.get("jobs", "2000"));
        int concurrency = Integer.parseInt(args.get("concurrency", "8"));
        int threads = Integer.parseInt(args.get("threads", "24"));
        String tenant = "bench-throughput-" + Long.toString(System.currentTimeMillis(), 36);
        QuarryClient client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        double quarry;
        try (Connection db = CranfieldIngest.connect(args)) {
            client.upload("warm-up.txt", TEXT, "{\"collection\":\"bench-throughput\"}", tenant + "-warm-up");
            awaitFinished(db, tenant, 1);
            long begin = System.nanoTime();
            uploadAll(client, tenant, jobs, concurrency);
            awaitFinished(db, tenant, jobs + 1);
            quarry = jobs / ((System.nanoTime() - begin) / 1e9);
            System.out.printf("Quarry: %d jobs, %d failed%n", jobs, count(db, tenant, "status <> 'SUCCEEDED'"));
        }
        double raw;
        try (RawJobRunrPickup reference = new RawJobRunrPickup(args.get("db-url"), args.get("db-user"),
                args.get("db-password"), threads)) {
            raw = reference.jobsPerSecond(jobs);
        }
        System.out.println();
        System.out.println("| submitted → done, trivial jobs | jobs | jobs/s |");
        System.out.println("|---|---:|---:|");
        System.out.printf("| Quarry: uploads of embedded content through the API, %d in flight | %d | %.0f |%n", concurrency, jobs, quarry);
        System.out.printf("| reference: raw JobRunr enqueue → SUCCEEDED of no-ops, %d threads | %d | %.0f |%n", threads, jobs, raw);
        System.out.printf("%nQuarry is %.2f × raw JobRunr. goals: ≥ 200 jobs/s and ≥ 0.8 × raw. machine: %d cores; java %s%n",
                quarry / raw, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    }

    private static void uploadAll(QuarryClient client, String tenant, int jobs, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String key = tenant + "-" + i;
                uploads.add(pool.submit(() -> client.upload("probe.txt", TEXT, "{\"collection\":\"bench-throughput\"}", key)));
            }
            for (Future<?> upload : uploads) upload.get();
        } finally {
            pool.shutdownNow();
        }
    }

    static void awaitFinished(Connection db, String tenant, int jobs) throws Exception {
        long deadline = System.nanoTime() + 1_800_000_000_000L;
        while (count(db, tenant, "status in ('SUCCEEDED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED')") < jobs) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(tenant + "'s jobs did not finish in 30 min");
            Thread.sleep(20); // polling an external system from a benchmark driver, not a test
        }
    }

    static int count(Connection db, String tenant, String condition) throws Exception {
        try (var st = db.prepareStatement("select count(*) from jobs where tenant_id = ? and " + condition)) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
