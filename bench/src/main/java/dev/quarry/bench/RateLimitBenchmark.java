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
 * bin/quarry bench ratelimit: what the rate limiter adds to a request. The same status read
 * ({@code GET /api/v1/documents?limit=1}) is sent, alternately, to two API instances of the same build on
 * the same database and Redis: one with limits on (buckets far too large to ever refuse, so every request
 * pays the full Redis round trip and nothing else differs) and one with limits off (the reference). Requests
 * are sequential and interleaved, so both see the same machine load. Reports p50 and p99 of each per run
 * and the medians over the runs of the p99 difference; the target is at most 1 ms.
 */
public final class RateLimitBenchmark {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Args args;

    private RateLimitBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new RateLimitBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int requests = Integer.parseInt(args.get("requests", "5000"));
        int runs = Integer.parseInt(args.get("runs", "5"));
        String token = Tokens.forBenchmark(args.get("jwt-secret"), "bench-ratelimit");
        URI limited = URI.create(args.get("api") + "/api/v1/documents?limit=1");
        URI unlimited = URI.create(args.get("api-unlimited") + "/api/v1/documents?limit=1");
        for (int i = 0; i < Math.min(1000, requests); i++) { // warm-up: JIT, pools, Redis connection
            time(limited, token);
            time(unlimited, token);
        }
        List<Double> onP50 = new ArrayList<>(), onP99 = new ArrayList<>(), offP50 = new ArrayList<>(),
                offP99 = new ArrayList<>(), deltaP99 = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            List<Double> on = new ArrayList<>(), off = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                // Alternate which goes first, so neither always follows the other's request.
                if (i % 2 == 0) {
                    on.add(time(limited, token));
                    off.add(time(unlimited, token));
                } else {
                    off.add(time(unlimited, token));
                    on.add(time(limited, token));
                }
            }
            onP50.add(Stats.median(on));
            onP99.add(Stats.percentile(on, 99));
            offP50.add(Stats.median(off));
            offP99.add(Stats.percentile(off, 99));
            deltaP99.add(Stats.percentile(on, 99) - Stats.percentile(off, 99));
            System.out.printf("run %d: limits on p50 %.3f ms p99 %.3f ms; off p50 %.3f ms p99 %.3f ms%n", run,
                    Stats.median(on), Stats.percentile(on, 99), Stats.median(off), Stats.percentile(off, 99));
        }
        System.out.println();
        System.out.println("| GET /api/v1/documents?limit=1 (" + requests + " requests × " + runs + " runs each) "
                + "| p50 ms | p99 ms | p99 per run (ms) |");
        System.out.println("|---|---:|---:|---|");
        System.out.printf("| limits on (3 Bucket4j buckets in Redis) | %.3f | %.3f | %s |%n", Stats.median(onP50),
                Stats.median(onP99), Stats.runs(onP99));
        System.out.printf("| reference: limits off | %.3f | %.3f | %s |%n", Stats.median(offP50),
                Stats.median(offP99), Stats.runs(offP99));
        System.out.printf("%nlimiter overhead at p99 (median over runs): %.3f ms (target: at most 1 ms); machine: %d cores, "
                        + "%.1f GiB; java %s%n", Stats.median(deltaP99), Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private double time(URI uri, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
        long start = System.nanoTime();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode()
                    + ": the bench's buckets must never refuse");
        }
        return ms;
    }
}
