package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.quarry.testing.Datasets;
import dev.quarry.testing.RetrievalMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the peer and the metric code to the anchor measured independently: Lucene BM25 nDCG@10 ≈ 0.349. */
class LuceneBm25Test {

    @Test
    void lucene_bm25_on_cranfield_reproduces_the_anchor_ndcg() throws Exception {
        Cranfield c = Cranfield.load(Datasets.cranfield());
        double sum = 0;
        int n = 0;
        try (var lucene = new LuceneBm25(c.docs())) {
            for (Cranfield.Query q : c.queries()) {
                var grades = c.grades().get(q.number());
                if (grades == null || grades.values().stream().noneMatch(RetrievalMetrics::relevant)) continue;
                sum += RetrievalMetrics.ndcg(lucene.search(q.text(), 100), grades, 10);
                n++;
            }
        }
        assertThat(sum / n).isBetween(0.34, 0.36);
    }
}
