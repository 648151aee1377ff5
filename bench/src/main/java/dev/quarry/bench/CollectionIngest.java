package dev.quarry.bench;

import dev.quarry.jobs.JobStatus;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.RetrievalCollection;
import dev.quarry.testing.Tokens;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ingests a test collection into a tenant through Quarry's real HTTP API and worker, one upload per
 * document (collection {@code <name>}, source {@code <name>/<id>}), and waits until every job has finished.
 * Each upload's Idempotency-Key is the tenant and document id, so running it again on a tenant that
 * already holds the collection replays the uploads instead of embedding anything twice.
 */
final class CollectionIngest {
    private final Args args;

    CollectionIngest(Args args) {
        this.args = args;
    }

    record Result(int documents, int chunks, double seconds, double chunksPerSecond) {
    }

    Result ingest(String tenant, String collection, List<RetrievalCollection.Doc> docs) throws Exception {
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        int concurrency = Integer.parseInt(args.get("concurrency", "8"));
        try (Connection db = connect(args)) {
            Instant start = dbNow(db);
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<UUID>> uploads = new ArrayList<>();
            for (RetrievalCollection.Doc doc : docs) {
                String metadata = "{\"title\":" + quote(title(doc.title()))
                        + ",\"collection\":\"" + collection + "\",\"source\":\"" + collection + "/" + doc.id() + "\"}";
                uploads.add(pool.submit(() -> client.upload(collection + "-" + doc.id() + ".txt", doc.text(), metadata,
                        tenant + "-" + doc.id())));
            }
            try {
                for (Future<UUID> f : uploads) f.get();
            } finally {
                pool.shutdown();
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
            while (finished(db, tenant) < docs.size()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("jobs did not finish in 60 min");
                Thread.sleep(200); // polling an external system from a benchmark driver, not a test
            }
            int failed = count(db, "select count(*) from jobs where tenant_id = ? and status <> 'SUCCEEDED'", tenant);
            if (failed > 0) throw new IllegalStateException(failed + " jobs did not succeed for " + tenant);
            Instant end;
            try (var st = db.prepareStatement("select max(finished_at) from jobs where tenant_id = ?")) {
                st.setString(1, tenant);
                ResultSet rs = st.executeQuery();
                rs.next();
                end = rs.getTimestamp(1).toInstant();
            }
            int chunks = count(db, "select count(*) from chunks where tenant_id = ?", tenant);
            double seconds = Math.max(0, Duration.between(start, end).toNanos() / 1e9);
            return new Result(docs.size(), chunks, seconds, seconds == 0 ? 0 : chunks / seconds);
        }
    }

    private static int finished(Connection db, String tenant) throws SQLException {
        return count(db, "select count(*) from jobs where tenant_id = ? and status in (" + JobStatus.sql(JobStatus.TERMINAL) + ")", tenant);
    }

    static int count(Connection db, String sql, String tenant) throws SQLException {
        try (var st = db.prepareStatement(sql)) {
            st.setString(1, tenant);
            ResultSet rs = st.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    static Instant dbNow(Connection db) throws SQLException {
        try (var st = db.createStatement(); ResultSet rs = st.executeQuery("select now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    static Connection connect(Args args) throws SQLException {
        return java.sql.DriverManager.getConnection(args.get("db-url"), args.get("db-user"), args.get("db-password"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }

    /** The API takes titles of 1 to 500 characters; a few LISA records run their title into the abstract. */
    private static String title(String title) {
        String t = title.isBlank() ? "untitled" : title.strip();
        return t.length() > 500 ? t.substring(0, 500) : t;
    }
}
