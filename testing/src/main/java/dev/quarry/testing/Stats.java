package dev.quarry.testing;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles over repeated measurements. */
public final class Stats {
    private Stats() {
    }

    public static double median(List<Double> values) {
        return percentile(values, 50);
    }

    public static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) return Double.NaN;
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank), hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public static String fmt(double v) {
        return String.format("%.1f", v);
    }

    public static String runs(List<Double> values) {
        return Arrays.toString(values.stream().map(Stats::fmt).toArray());
    }
}
