package dev.quarry.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles over repeated measurements. */
final class Stats {
    private Stats() {
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) return Double.NaN;
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank), hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    static String fmt(double v) {
        return String.format("%.1f", v);
    }

    static String runs(List<Double> values) {
        return Arrays.toString(values.stream().map(Stats::fmt).toArray());
    }
}
