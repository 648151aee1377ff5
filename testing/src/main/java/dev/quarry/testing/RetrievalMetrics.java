package dev.quarry.testing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Cranfield metrics. nDCG uses graded gains 2^g − 1 with g = 5 − grade for grades 1..4 (grade 1 is the
 * best) and 0 otherwise; MAP and Recall count grades 1..4 as relevant. Queries without relevant documents
 * are skipped by the caller. Public for the API's Cranfield integration test, which checks the real search SQL.
 */
public final class RetrievalMetrics {
    private RetrievalMetrics() {
    }

    public static double gain(Integer grade) {
        if (grade == null || grade < 1 || grade > 4) return 0;
        return Math.pow(2, 5 - grade) - 1;
    }

    public static boolean relevant(Integer grade) {
        return grade != null && grade >= 1 && grade <= 4;
    }

    public static double ndcg(List<Integer> ranking, Map<Integer, Integer> grades, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            dcg += gain(grades.get(ranking.get(i))) / log2(i + 2);
        }
        List<Double> ideal = grades.values().stream().map(RetrievalMetrics::gain).filter(g -> g > 0)
                .sorted(Comparator.reverseOrder()).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) idcg += ideal.get(i) / log2(i + 2);
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** Average precision over the whole ranking given (the caller passes the top 100). */
    public static double averagePrecision(List<Integer> ranking, Map<Integer, Integer> grades) {
        long relevantTotal = grades.values().stream().filter(RetrievalMetrics::relevant).count();
        if (relevantTotal == 0) return 0;
        double sum = 0;
        int hits = 0;
        for (int i = 0; i < ranking.size(); i++) {
            if (relevant(grades.get(ranking.get(i)))) {
                hits++;
                sum += (double) hits / (i + 1);
            }
        }
        return sum / relevantTotal;
    }

    public static double recall(List<Integer> ranking, Map<Integer, Integer> grades, int k) {
        long relevantTotal = grades.values().stream().filter(RetrievalMetrics::relevant).count();
        if (relevantTotal == 0) return 0;
        long found = ranking.stream().limit(k).filter(d -> relevant(grades.get(d))).count();
        return (double) found / relevantTotal;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
