package dev.quarry.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RetrievalMetricsTest {
    // doc 1: grade 1 (gain 15), doc 2: grade 3 (gain 3), doc 3: judged non-relevant (-1)
    private final Map<Integer, Integer> grades = Map.of(1, 1, 2, 3, 3, -1);

    @Test
    void ideal_ranking_has_ndcg_one() {
        assertThat(RetrievalMetrics.ndcg(List.of(1, 2, 3), grades, 10)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void swapped_ranking_is_discounted_with_graded_gains() {
        double idcg = 15 + 3 / (Math.log(3) / Math.log(2));
        double dcg = 3 + 15 / (Math.log(3) / Math.log(2));
        assertThat(RetrievalMetrics.ndcg(List.of(2, 1), grades, 10)).isCloseTo(dcg / idcg, within(1e-9));
    }

    @Test
    void grade_minus_one_is_not_relevant_for_map_and_recall() {
        assertThat(RetrievalMetrics.averagePrecision(List.of(3, 1, 2), grades)).isCloseTo((0.5 + 2.0 / 3) / 2, within(1e-9));
        assertThat(RetrievalMetrics.recall(List.of(3, 1), grades, 100)).isCloseTo(0.5, within(1e-9));
    }
}
