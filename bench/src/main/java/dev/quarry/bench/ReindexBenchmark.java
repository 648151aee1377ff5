package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.Cranfield;
import dev.quarry.testing.Stats;
import dev.quarry.testing.Tokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * bin/quarry bench reindex: Cranfield's first ingest through the real API and worker (the reference), then,
 * in the same run and tenant, a reindex into the full-precision model ({@code all-minilm-l6-v2@1}) and a
 * reindex back into the configured quantized model ({@code all-minilm-l6-v2-q@1}), which still covers every
 * document, and, once the full-precision version's vectors are deleted, a reindex into it again: the same
 * texts, embedded before by the first reindex, so what the embedding cache saves shows. Each time runs from
 * the reindex job's creation to its {@code finished_at}, as the database records them.
 */
public final class ReindexBenchmark {
    private static final String FULL = "all-minilm-l6-v2@1";
    private static final String QUANTIZED = "all-minilm-l6-v2-q@1";
    private final Args args;
    private final CranfieldIngest ingest;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private ReindexBenchmark(Args args) throws Exception {
        this.args = args;
        this.ingest = new CranfieldIngest(args, Cranfield.load(Path.of(args.get("dataset"))));
    }

    public static void main(String[] argv) throws Exception {
        new ReindexBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int rounds = Integer.parseInt(args.get("rounds", "1"));
        String runId = Long.toString(System.currentTimeMillis(), 36);
        List<Double> first = new ArrayList<>(), full = new ArrayList<>(), back = new ArrayList<>();
        List<Double> again = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            String tenant = "bench-reindex-" + runId + "-" + r;
            CranfieldIngest.Result result = ingest.ingest(tenant);
            double toFull = reindex(tenant, FULL);
            double toQuantized = reindex(tenant, QUANTIZED);
            deleteVersion(tenant, FULL);
            double toFullAgain = reindex(tenant, FULL);
            again.add(toFullAgain);
            first.add(result.seconds());
            full.add(toFull);
            back.add(toQuantized);
            System.out.printf("round %d: first ingest %d docs / %d chunks in %.1f s; reindex to %s %.1f s; "
                            + "back to %s %.1f s; again to %s after deleting its vectors %.1f s%n", r,
                    result.documents(), result.chunks(), result.seconds(), FULL, toFull, QUANTIZED, toQuantized, FULL,
                    toFullAgain);
        }
        System.out.println();
        System.out.println("| measure (median of " + rounds + " rounds) | seconds | runs | × first ingest's time |");
        System.out.println("|---|---:|---|---:|");
        System.out.printf("| first ingest of Cranfield, %s (reference) | %.1f | %s | 1.00 |%n", QUANTIZED,
                Stats.median(first), Stats.runs(first));
        System.out.printf("| reindex into %s (another model) | %.1f | %s | %.2f |%n", FULL, Stats.median(full),
                Stats.runs(full), Stats.median(full) / Stats.median(first));
        System.out.printf("| reindex back into %s (still covers every document) | %.1f | %s | %.2f |%n", QUANTIZED,
                Stats.median(back), Stats.runs(back), Stats.median(back) / Stats.median(first));
        System.out.printf("| reindex into %s again, its vectors deleted (texts embedded before) | %.1f | %s | %.2f |%n",
                FULL, Stats.median(again), Stats.runs(again), Stats.median(again) / Stats.median(first));
        System.out.printf("%nmachine: %d cores; java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    /** Deletes the tenant's vectors of {@code version}, which must not be the active one. */
    private void deleteVersion(String tenant, String version) throws Exception {
        HttpRequest delete = HttpRequest.newBuilder(
                        URI.create(args.get("api") + "/api/v1/admin/embedding-versions/" + version))
                .header("Authorization", "Bearer " + adminToken(tenant))
                .header("Idempotency-Key", "delete-" + tenant + "-" + version).DELETE().build();
        HttpResponse<String> answer = http.send(delete, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 204) {
            throw new IllegalStateException("delete of " + version + " refused: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Starts a reindex of {@code tenant} into {@code target} and waits for it; its duration in seconds. */
    private double reindex(String tenant, String target) throws Exception {
        HttpRequest start = HttpRequest.newBuilder(URI.create(args.get("api") + "/api/v1/admin/reindex"))
                .header("Authorization", "Bearer " + adminToken(tenant))
                // A fresh key each time: the same key would replay the earlier reindex into the same target.
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"targetVersion\":\"" + target + "\"}")).build();
        HttpResponse<String> answer = http.send(start, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("reindex refused: " + answer.statusCode() + " " + answer.body());
        }
        JsonNode body = json.readTree(answer.body());
        UUID job = UUID.fromString(body.path("jobId").asText(body.path("id").asText()));
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        try (Connection db = ingest.connect();
             var st = db.prepareStatement("select status, extract(epoch from finished_at - created_at) "
                     + "from jobs where id = ? and finished_at is not null")) {
            st.setObject(1, job);
            while (true) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getString(1).equals("SUCCEEDED")) {
                            throw new IllegalStateException("reindex " + job + " ended " + rs.getString(1));
                        }
                        return rs.getDouble(2);
                    }
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("reindex did not finish in 60 min");
                Thread.sleep(200); // polling an external system from a benchmark driver, not a test
            }
        }
    }

    /** An admin token for the benchmark's own tenant, as {@code bin/quarry token --admin} mints it. */
    private String adminToken(String tenant) {
        return Tokens.mint(args.get("jwt-secret"), "bench-admin", tenant, true, Duration.ofHours(2));
    }
}
