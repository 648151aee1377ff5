package dev.quarry.bench;

import dev.quarry.testing.RetrievalCollection;
import dev.quarry.testing.RetrievalMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the peer and the metric code: Lucene BM25's nDCG@10 on Cranfield reproduces the anchor measured
 * independently (≈ 0.349); on MED it is the figure the API's RetrievalCollectionsIT compares against.
 */
class LuceneBm25Test {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cranfield, 0.34, 0.36", "med, 0.68, 0.70"})
    void lucene_bm25_reproduces_the_pinned_ndcg(String name, double low, double high) throws Exception {
        RetrievalCollection c = RetrievalCollection.load(name);
        double sum = 0;
        try (var lucene = new LuceneBm25(c.docs())) {
            for (RetrievalCollection.Query q : c.queries()) {
                sum += RetrievalMetrics.ndcg(lucene.search(q.text(), 100), c.grades().get(q.number()), 10);
            }
        }
        assertThat(sum / c.queries().size()).isBetween(low, high);
    }
}
