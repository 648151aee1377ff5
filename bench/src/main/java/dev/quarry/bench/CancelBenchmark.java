package dev.quarry.bench;

import dev.quarry.jobs.JobStatus;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Tokens;
import dev.quarry.testing.Stats;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * bin/quarry bench cancel: how long a running ingest takes to stop, from the cancel request to the job's
 * CANCELLED status, through the real API and worker. Each run uploads a large document of text no other
 * run has (so no embedding is cached), waits until its embedding is under way, then stops it, alternating
 * two ways:
 * <ul>
 *   <li><b>Quarry:</b> {@code POST /api/v1/jobs/{id}/cancel}; the worker checks the flag between batches;</li>
 *   <li><b>JobRunr (reference):</b> {@code DELETE /api/jobs/{id}} on JobRunr's dashboard, JobRunr's own way
 *       to stop a job: its server interrupts the job's thread when its next poll notices the deletion.</li>
 * </ul>
 * The status is read from PostgreSQL every 5 ms, so figures carry up to 5 ms of polling error.
 */
public final class CancelBenchmark {
    /** The job stopped, or stopped this attempt: finished, or waiting for a retry. */
    private static final String SETTLED = JobStatus.sql(java.util.EnumSet.of(JobStatus.RETRY_SCHEDULED,
            JobStatus.TERMINAL.toArray(JobStatus[]::new)));
    private final Args args;
    private final QuarryClient client;
    private final String tenant;

    private CancelBenchmark(Args args) {
        this.args = args;
        this.tenant = "bench-cancel-" + Long.toString(System.currentTimeMillis(), 36);
        this.client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
    }

    public static void main(String[] argv) throws Exception {
        new CancelBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int runs = Integer.parseInt(args.get("runs", "8"));
        int paragraphs = Integer.parseInt(args.get("paragraphs", "6000"));
        String dashboard = args.get("dashboard", "http://localhost:8000");
        List<Double> quarry = new ArrayList<>(), jobRunr = new ArrayList<>();
        try (Connection db = CranfieldIngest.connect(args)) {
            for (int r = 0; r < 2 * runs; r++) {
                boolean viaJobRunr = r % 2 == 1;
                UUID jobId = client.upload("big-" + r + ".txt", document(paragraphs), "{\"collection\":\"bench-cancel\"}",
                        UUID.randomUUID().toString());
                awaitEmbedding(db, jobId);
                long start = System.nanoTime();
                if (viaJobRunr) {
                    client.deleteInJobRunr(dashboard, args.get("worker-user", "operator"), args.get("worker-password"), jobId);
                }
                else client.cancel(jobId);
                String status = awaitStopped(db, jobId);
                double ms = (System.nanoTime() - start) / 1e6;
                (viaJobRunr ? jobRunr : quarry).add(ms);
                System.out.printf("run %d: %s → %s in %.0f ms%n", r / 2 + 1, viaJobRunr ? "JobRunr delete" : "Quarry cancel",
                        status, ms);
            }
        }
        report(quarry, jobRunr);
    }

    private void report(List<Double> quarry, List<Double> jobRunr) {
        System.out.println();
        System.out.println("| way to stop a running ingest (" + quarry.size() + " runs each) | p50 ms | p95 ms | runs (ms) |");
        System.out.println("|---|---:|---:|---|");
        System.out.printf("| Quarry: POST /api/v1/jobs/{id}/cancel | %.0f | %.0f | %s |%n",
                Stats.median(quarry), Stats.percentile(quarry, 95), Stats.runs(quarry));
        System.out.printf("| reference: JobRunr dashboard DELETE /api/jobs/{id} | %.0f | %.0f | %s |%n",
                Stats.median(jobRunr), Stats.percentile(jobRunr, 95), Stats.runs(jobRunr));
        System.out.printf("%nQuarry's p50 is %.1f × faster than JobRunr's; p95 %.1f ×. machine: %d cores; java %s%n",
                Stats.median(jobRunr) / Stats.median(quarry),
                Stats.percentile(jobRunr, 95) / Stats.percentile(quarry, 95),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    }

    /** Until the job has committed its first embedding batch: it is then surely inside the embed step. */
    private static void awaitEmbedding(Connection db, UUID jobId) throws Exception {
        poll(db, jobId, "select current_step = 'embed' and progress_done >= 32 from jobs where id = ?", 120);
    }

    private static String awaitStopped(Connection db, UUID jobId) throws Exception {
        poll(db, jobId, "select status in (" + SETTLED + ") "
                + "from jobs where id = ?", 60);
        try (var st = db.prepareStatement("select status from jobs where id = ?")) {
            st.setObject(1, jobId);
            ResultSet rs = st.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }

    private static void poll(Connection db, UUID jobId, String sql, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try (var st = db.prepareStatement(sql)) {
            st.setObject(1, jobId);
            while (true) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) return;
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("job " + jobId + " timed out: " + sql);
                Thread.sleep(5); // polling an external system from a benchmark driver, not a test
            }
        }
    }

    /** About 800 chunks of text that no earlier run had, so every chunk really needs embedding. */
    private static String document(int paragraphs) {
        String run = UUID.randomUUID().toString();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < paragraphs; i++) {
            text.append("Paragraph ").append(i).append(" of run ").append(run)
                    .append(" compares the measured skin friction with laminar theory at station ").append(i * 7).append(". ");
            if (i % 8 == 7) text.append("\n\n");
        }
        return text.toString();
    }
}
