package dev.quarry.api.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's own buckets, used only while Redis is unreachable: limits then hold per instance rather
 * than across them, which is the price of failing open. Bounded: the map is dropped whenever it grows past
 * {@link #MAX_BUCKETS}, which at worst hands some clients a fresh bucket.
 */
class LocalBuckets {
    static final int MAX_BUCKETS = 100_000;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Duration window;

    LocalBuckets(Duration window) {
        this.window = window;
    }

    Decision consume(List<BucketSpec> specs, long cost) {
        if (buckets.size() > MAX_BUCKETS) buckets.clear();
        List<Bucket> drawn = new ArrayList<>();
        List<BucketState> states = new ArrayList<>();
        for (BucketSpec spec : specs) {
            Bucket bucket = buckets.computeIfAbsent(spec.key() + "#" + spec.capacity(),
                    key -> Bucket.builder().addLimit(spec.configuration(window).getBandwidths()[0]).build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(cost);
            if (probe.isConsumed()) drawn.add(bucket);
            states.add(new BucketState(spec, probe.isConsumed(), probe.getRemainingTokens(),
                    probe.getNanosToWaitForReset(), probe.getNanosToWaitForRefill()));
        }
        Decision decision = new Decision(states, false);
        // A refused request costs nothing: give back what the other buckets already took.
        if (!decision.admitted()) drawn.forEach(bucket -> bucket.addTokens(cost));
        return decision;
    }

    void clear() {
        buckets.clear();
    }
}
