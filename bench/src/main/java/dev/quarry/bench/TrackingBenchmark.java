package dev.quarry.bench;

/**
 * bin/quarry bench tracking: what request tracking adds to a request ({@link InterleavedOverhead}): tracking on (each
 * request queued for the batch writer, which inserts into api_requests) against tracking off, both with rate limits
 * off. The target is at most 0.5 ms at p99.
 */
public final class TrackingBenchmark {
    private TrackingBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        new InterleavedOverhead(new InterleavedOverhead.Feature("request tracking", "tracking on (batched inserts)",
                "tracking off", 0.5, "bench-tracking")).run(new Args(argv));
    }
}
