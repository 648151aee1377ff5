package dev.quarry.bench;

import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Stats;
import dev.quarry.testing.Tokens;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * bin/quarry bench pickup: how long an accepted job waits for a free worker to start it, on an idle stack.
 * <ul>
 *   <li><b>Quarry:</b> {@code --uploads} (200) tiny uploads through the running API, one after the other (each
 *       waits for the previous job to finish, so a worker thread is always free); the wait is the job's
 *       {@code started_at - created_at}, both PostgreSQL's clock. {@code created_at} is the start of the upload's
 *       transaction, so the figure includes the commit and hand-over, never less than the real wait.</li>
 *   <li><b>JobRunr (reference):</b> {@link RawJobRunrPickup}, {@code enqueue} of a no-op to its start, on the
 *       same database in the same run; {@code --jobrunr-jobs} (50) of them, because each waits up to a whole
 *       poll interval (5 s).</li>
 * </ul>
 */
public final class PickupBenchmark {
    private static final String DONE = "select status in ('SUCCEEDED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED') from jobs where id = ?";
    private final Args args;

    private PickupBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new PickupBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int uploads = Integer.parseInt(args.get("uploads", "200"));
        int jobRunrJobs = Integer.parseInt(args.get("jobrunr-jobs", "50"));
        String tenant = "bench-pickup-" + Long.toString(System.currentTimeMillis(), 36);
        QuarryClient client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        List<Double> quarry = new ArrayList<>(), released = new ArrayList<>(), claimed = new ArrayList<>();
        try (Connection db = CranfieldIngest.connect(args)) {
            for (int i = 0; i < uploads; i++) {
                UUID jobId = client.upload("pickup-" + i + ".txt", "Pickup probe " + i + " of " + tenant + ".",
                        "{\"collection\":\"bench-pickup\"}", tenant + "-" + i);
                awaitDone(db, jobId);
                double[] waited = waitedMillis(db, jobId);
                quarry.add(waited[0]);
                released.add(waited[1]);
                claimed.add(waited[2]);
            }
        }
        System.out.printf("Quarry: %d uploads measured%n", quarry.size());
        List<Double> jobRunr;
        try (RawJobRunrPickup raw = new RawJobRunrPickup(args.get("db-url"), args.get("db-user"), args.get("db-password"))) {
            jobRunr = raw.measure(jobRunrJobs);
        }
        report(quarry, jobRunr);
        System.out.printf("where Quarry's wait goes (p50 / p99 ms): accepted → released to JobRunr %.1f / %.1f, "
                        + "released → started %.1f / %.1f%n", Stats.median(released), Stats.percentile(released, 99),
                Stats.median(claimed), Stats.percentile(claimed, 99));
    }

    /** Waits until the job is finished, whatever its end; the chat benchmark's probes use it too. */
    static void awaitDone(Connection db, UUID jobId) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (var st = db.prepareStatement(DONE)) {
            st.setObject(1, jobId);
            while (true) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) return;
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("job " + jobId + " did not finish");
                Thread.sleep(2); // polling an external system from a benchmark driver, not a test
            }
        }
    }

    /** Accepted → started, and its two parts: accepted → released to JobRunr, released → started. */
    private static double[] waitedMillis(Connection db, UUID jobId) throws Exception {
        try (var st = db.prepareStatement("select extract(epoch from (started_at - created_at)) * 1000, "
                + "extract(epoch from (enqueued_at - created_at)) * 1000, extract(epoch from (started_at - enqueued_at)) * 1000 "
                + "from jobs where id = ? and started_at is not null")) {
            st.setObject(1, jobId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("job " + jobId + " finished without starting");
                return new double[]{rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)};
            }
        }
    }

    private static void report(List<Double> quarry, List<Double> jobRunr) {
        System.out.println();
        System.out.println("| accepted → started, idle stack | jobs | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("Quarry: tiny upload through the API (wake-up)", quarry);
        row("reference: raw JobRunr enqueue of a no-op (5 s poll)", jobRunr);
        System.out.printf("%nQuarry / raw JobRunr: p50 %.2f ×, p99 %.3f ×. goal: p50 ≤ 20 ms, p99 ≤ 100 ms. "
                        + "machine: %d cores, %d MB heap max; java %s%n", Stats.median(quarry) / Stats.median(jobRunr),
                Stats.percentile(quarry, 99) / Stats.percentile(jobRunr, 99),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
    }

    private static void row(String what, List<Double> ms) {
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", what, ms.size(), Stats.median(ms), Stats.percentile(ms, 99),
                ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }
}
