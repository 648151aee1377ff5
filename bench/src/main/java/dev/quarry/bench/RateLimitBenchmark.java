package dev.quarry.bench;

/**
 * bin/quarry bench ratelimit: what the rate limiter adds to a request ({@link InterleavedOverhead}): limits on, with
 * buckets far too large to ever refuse (so every request pays the full Redis round trip and nothing else differs),
 * against limits off. The target is at most 1 ms at p99.
 */
public final class RateLimitBenchmark {
    private RateLimitBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        new InterleavedOverhead(new InterleavedOverhead.Feature("limiter", "limits on (3 Bucket4j buckets in Redis)",
                "limits off", 1, "bench-ratelimit")).run(new Args(argv));
    }
}
