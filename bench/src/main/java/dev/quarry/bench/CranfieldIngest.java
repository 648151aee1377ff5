package dev.quarry.bench;

import dev.quarry.jobs.JobStatus;
import dev.quarry.testing.Cranfield;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Tokens;
import java.sql.Connection;
import java.sql.DriverManager;
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
 * Ingests Cranfield into a fresh tenant through Quarry's real HTTP API and worker, one upload per abstract
 * (collection {@code cranfield}, source {@code cranfield/<id>}), and waits until every job has finished.
 * Shared by bench ingest (throughput) and bench retrieval (quality). The two abstracts that are empty in
 * the collection are skipped: the API rightly refuses an empty file.
 */
final class CranfieldIngest {
    private final Args args;
    private final Cranfield cranfield;

    CranfieldIngest(Args args, Cranfield cranfield) {
        this.args = args;
        this.cranfield = cranfield;
    }

    record Result(int documents, int chunks, double seconds, double chunksPerSecond) {
    }

    List<Cranfield.Doc> uploadable() {
        return uploadable(cranfield);
    }

    static List<Cranfield.Doc> uploadable(Cranfield cranfield) {
        return cranfield.docs().stream().filter(d -> !d.text().isBlank()).toList();
    }

    Result ingest(String tenant) throws Exception {
        var client = new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant));
        int concurrency = Integer.parseInt(args.get("concurrency", "8"));
        List<Cranfield.Doc> docs = uploadable();
        try (Connection db = connect()) {
            Instant start = dbNow(db);
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<UUID>> uploads = new ArrayList<>();
            for (Cranfield.Doc doc : docs) {
                String metadata = "{\"title\":" + quote(doc.title().isBlank() ? "untitled" : doc.title())
                        + ",\"collection\":\"cranfield\",\"source\":\"cranfield/" + doc.id() + "\"}";
                uploads.add(pool.submit(() -> client.upload("cran-" + doc.id() + ".txt", doc.text(), metadata,
                        tenant + "-" + doc.id())));
            }
            try {
                for (Future<UUID> f : uploads) f.get();
            } finally {
                pool.shutdown();
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (finished(db, tenant) < docs.size()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("jobs did not finish in 30 min");
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
            double seconds = Duration.between(start, end).toNanos() / 1e9;
            return new Result(docs.size(), chunks, seconds, chunks / seconds);
        }
    }

    private int finished(Connection db, String tenant) throws SQLException {
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

    Connection connect() throws SQLException {
        return connect(args);
    }

    static Connection connect(Args args) throws SQLException {
        return DriverManager.getConnection(args.get("db-url"), args.get("db-user"), args.get("db-password"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }
}
