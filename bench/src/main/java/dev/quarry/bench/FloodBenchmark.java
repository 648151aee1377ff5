package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Stats;
import dev.quarry.testing.Tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * bin/quarry bench flood: priority and fair share under one tenant's flood. Tenant B uploads one small
 * document at a time ({@code --probes}, 3), first on the idle stack, then while tenant A has {@code --flood}
 * (5,000) bulk re-ingest jobs queued; B's time from accepted to started and to done, idle against flooded, in
 * the same run. A's documents are written straight into the database as never indexed (the benchmark's
 * set-up, not what it measures), so one {@code POST /documents/reingest} of their collection queues a
 * re-ingest job for each, at the bulk priority. Afterwards A's jobs still waiting are cancelled through the
 * API ({@code --drain true} lets them run instead). Goal (issue 11): B within 2 × idle.
 */
public final class FloodBenchmark {
    private final Args args;

    private record Probe(double startMillis, double doneMillis) {
    }

    private FloodBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new FloodBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int probes = Integer.parseInt(args.get("probes", "3"));
        int flood = Integer.parseInt(args.get("flood", "5000"));
        String run = Long.toString(System.currentTimeMillis(), 36);
        String tenantA = "bench-flood-a-" + run;
        String tenantB = "bench-flood-b-" + run;
        String secret = args.get("jwt-secret");
        QuarryClient a = new QuarryClient(args.get("api"), Tokens.forBenchmark(secret, tenantA));
        QuarryClient b = new QuarryClient(args.get("api"), Tokens.forBenchmark(secret, tenantB));
        try (Connection db = CranfieldIngest.connect(args)) {
            List<Probe> idle = probe(db, b, tenantB, "idle", probes);
            insertNeverIndexed(db, tenantA, flood);
            int queued = queueReingest(a, run);
            System.out.printf("tenant A: %d bulk re-ingest jobs queued%n", queued);
            List<Probe> flooded = probe(db, b, tenantB, "flood", probes);
            int waiting = ThroughputBenchmark.count(db, tenantA, "status = 'QUEUED'");
            System.out.printf("tenant A: %d jobs still waiting when B's last probe was done%n", waiting);
            report(idle, flooded, queued);
            if (Boolean.parseBoolean(args.get("drain", "false"))) {
                ThroughputBenchmark.awaitFinished(db, tenantA, queued);
            } else {
                System.out.printf("cancelled %d of tenant A's waiting jobs%n", cancelWaiting(db, a, tenantA));
            }
        }
    }

    private static List<Probe> probe(Connection db, QuarryClient client, String tenant, String phase, int probes)
            throws Exception {
        List<Probe> measured = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            UUID job = client.upload("probe-" + phase + "-" + i + ".txt", "Flood probe " + phase + " " + i + " of "
                    + tenant + ": the pump station logs its pressure hourly.", "{\"collection\":\"bench-flood\"}",
                    tenant + "-" + phase + "-" + i);
            measured.add(awaitProbe(db, job));
        }
        return measured;
    }

    private static Probe awaitProbe(Connection db, UUID job) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        try (PreparedStatement st = db.prepareStatement("""
                select extract(epoch from started_at - created_at) * 1000, extract(epoch from finished_at - created_at) * 1000
                from jobs where id = ? and finished_at is not null""")) {
            st.setObject(1, job);
            while (true) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) return new Probe(rs.getDouble(1), rs.getDouble(2));
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("probe " + job + " did not finish");
                Thread.sleep(5); // polling an external system from a benchmark driver, not a test
            }
        }
    }

    /** The flood's documents, stored but never indexed, so that a re-ingest of their collection queues them all. */
    private static void insertNeverIndexed(Connection db, String tenant, int count) throws Exception {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement document = db.prepareStatement("""
                insert into documents (id, tenant_id, title, collection, media_type, size_bytes, content_sha256)
                values (?, ?, ?, 'bench-flood', 'text/plain', ?, ?)""");
             PreparedStatement content = db.prepareStatement("insert into document_contents (document_id, bytes) values (?, ?)")) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                byte[] bytes = ("Flood document " + i + " of " + tenant + ": routine maintenance report, nothing urgent.")
                        .getBytes(StandardCharsets.UTF_8);
                document.setObject(1, id);
                document.setString(2, tenant);
                document.setString(3, "flood-" + i);
                document.setLong(4, bytes.length);
                document.setString(5, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
                document.addBatch();
                content.setObject(1, id);
                content.setBytes(2, bytes);
                content.addBatch();
            }
            document.executeBatch();
            content.executeBatch();
            db.commit();
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    /** Re-ingests the collection until nothing is deferred (the queue's backpressure may admit part of it). */
    private static int queueReingest(QuarryClient a, String run) throws Exception {
        int queued = 0;
        for (int request = 0; request < 100; request++) {
            JsonNode summary = a.reingestAll("{\"collection\":\"bench-flood\"}", "flood-" + run + "-" + request);
            queued += summary.path("queued").asInt();
            if (summary.path("deferred").asInt() == 0) return queued;
        }
        throw new IllegalStateException("the queue kept deferring the flood");
    }

    private static int cancelWaiting(Connection db, QuarryClient a, String tenant) throws Exception {
        List<UUID> waiting = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement("select id from jobs where tenant_id = ? and status = 'QUEUED'")) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) waiting.add(rs.getObject(1, UUID.class));
            }
        }
        int cancelled = 0;
        for (UUID job : waiting) {
            try {
                a.cancel(job);
                cancelled++;
            } catch (RuntimeException | IOException finishedMeanwhile) {
                // it started or finished while we cancelled the others
            }
        }
        return cancelled;
    }

    private static void report(List<Probe> idle, List<Probe> flooded, int queued) {
        List<Double> idleStart = idle.stream().map(Probe::startMillis).toList();
        List<Double> idleDone = idle.stream().map(Probe::doneMillis).toList();
        List<Double> floodStart = flooded.stream().map(Probe::startMillis).toList();
        List<Double> floodDone = flooded.stream().map(Probe::doneMillis).toList();
        System.out.println();
        System.out.println("| tenant B's upload | probes | accepted → started, median ms | accepted → done, median ms |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| idle stack | %d | %.1f | %.1f |%n", idle.size(), Stats.median(idleStart), Stats.median(idleDone));
        System.out.printf("| tenant A's %d bulk re-ingest jobs queued | %d | %.1f | %.1f |%n", queued, flooded.size(),
                Stats.median(floodStart), Stats.median(floodDone));
        System.out.printf("%nunder flood / idle: started %.2f ×, done %.2f ×. goal: within 2 × idle. machine: %d cores; java %s%n",
                Stats.median(floodStart) / Stats.median(idleStart), Stats.median(floodDone) / Stats.median(idleDone),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    }
}
