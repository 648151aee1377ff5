package dev.quarry.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The textbook fusion peer: reciprocal rank fusion with k = 60 and equal weights (Cormack et al., 2009). */
final class PlainRrf {
    static final double K = 60;

    private PlainRrf() {
    }

    static List<Integer> fuse(List<Integer> first, List<Integer> second, int limit) {
        Map<Integer, Double> scores = new HashMap<>();
        for (List<Integer> ranking : List.of(first, second)) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                scores.merge(ranking.get(rank), 1 / (K + rank + 1), Double::sum);
            }
        }
        return scores.entrySet().stream()
                .sorted(Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }
}
