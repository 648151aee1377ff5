package dev.quarry.bench;

import dev.quarry.testing.Stats;
import dev.quarry.testing.Tokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one feature adds to a request: the same status read ({@code GET /api/v1/documents?limit=1}) is sent,
 * alternately, to two API instances of the same build on the same database and Redis, one with the feature on
 * ({@code --api}) and one with it off ({@code --api-reference}). Requests are sequential and interleaved (which goes
 * first alternates), so both see the same machine load. Prints p50 and p99 of each per run and the median over the
 * runs of the p99 difference, against the target. {@code --requests} per run (5000), {@code --runs} (5).
 */
final class InterleavedOverhead {
    private static final String PATH = "/api/v1/documents?limit=1";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Feature feature;

    /**
     * @param name    what is measured, for the summary line ("limiter", "request tracking")
     * @param on      the row of the instance with the feature on
     * @param off     the row of the reference
     * @param target  the target for the p99 overhead, in ms
     * @param subject the benchmark token's tenant
     */
    record Feature(String name, String on, String off, double target, String subject) {
    }

    InterleavedOverhead(Feature feature) {
        this.feature = feature;
    }

    void run(Args args) throws Exception {
        int requests = Integer.parseInt(args.get("requests", "5000"));
        int runs = Integer.parseInt(args.get("runs", "5"));
        String token = Tokens.forBenchmark(args.get("jwt-secret"), feature.subject());
        URI on = URI.create(args.get("api") + PATH);
        URI off = URI.create(args.get("api-reference") + PATH);
        for (int i = 0; i < Math.min(1000, requests); i++) { // warm-up: JIT, pools, connections
            time(on, token);
            time(off, token);
        }
        List<Double> onP50 = new ArrayList<>(), onP99 = new ArrayList<>(), offP50 = new ArrayList<>(),
                offP99 = new ArrayList<>(), deltaP99 = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            List<Double> withFeature = new ArrayList<>(), reference = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                // Alternate which goes first, so neither always follows the other's request.
                if (i % 2 == 0) {
                    withFeature.add(time(on, token));
                    reference.add(time(off, token));
                } else {
                    reference.add(time(off, token));
                    withFeature.add(time(on, token));
                }
            }
            onP50.add(Stats.median(withFeature));
            onP99.add(Stats.percentile(withFeature, 99));
            offP50.add(Stats.median(reference));
            offP99.add(Stats.percentile(reference, 99));
            deltaP99.add(Stats.percentile(withFeature, 99) - Stats.percentile(reference, 99));
            System.out.printf("run %d: %s p50 %.3f ms p99 %.3f ms; %s p50 %.3f ms p99 %.3f ms%n", run, feature.on(),
                    Stats.median(withFeature), Stats.percentile(withFeature, 99), feature.off(), Stats.median(reference),
                    Stats.percentile(reference, 99));
        }
        System.out.println();
        System.out.println("| GET " + PATH + " (" + requests + " requests × " + runs + " runs each) "
                + "| p50 ms | p99 ms | p99 per run (ms) |");
        System.out.println("|---|---:|---:|---|");
        System.out.printf("| %s | %.3f | %.3f | %s |%n", feature.on(), Stats.median(onP50), Stats.median(onP99),
                Stats.runs(onP99));
        System.out.printf("| reference: %s | %.3f | %.3f | %s |%n", feature.off(), Stats.median(offP50),
                Stats.median(offP99), Stats.runs(offP99));
        System.out.printf("%n%s overhead at p99 (median over runs): %.3f ms (target: at most %s ms); machine: %d cores, "
                        + "%.1f GiB; java %s%n", feature.name(), Stats.median(deltaP99), feature.target(),
                Runtime.getRuntime().availableProcessors(), Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private double time(URI uri, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
        long start = System.nanoTime();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode()
                    + ": both instances must answer every request (no rate limit may refuse one)");
        }
        return ms;
    }
}
