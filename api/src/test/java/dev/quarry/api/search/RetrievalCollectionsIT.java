package dev.quarry.api.search;

import dev.quarry.search.SearchMode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.testing.RetrievalCollection;
import dev.quarry.testing.RetrievalMetrics;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The honest check behind the search defaults, on two whole collections that differ in kind: Cranfield
 * (1,398 aeronautics abstracts, graded judgments, the collection the old defaults were tuned on) and MED
 * (1,033 Medline abstracts, binary judgments). Through the real search API and SQL, the keyword leg holds
 * Lucene BM25's level and hybrid is at least as good as each leg alone. Documents are stored one chunk each
 * with real embeddings; the full pipeline (upload, worker chunking) and the other three collections are
 * measured by bin/quarry bench retrieval instead. The two run one after the other in one test class, so
 * this is the suite's slowest search test (about 2,400 abstracts embedded).
 */
class RetrievalCollectionsIT extends ApiIntegrationTest {
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;

    /**
     * @param lucene      Lucene BM25's nDCG@10 (EnglishAnalyzer, defaults), pinned by the bench's LuceneBm25Test
     * @param hybridGoal  whether hybrid must reach each leg. Here (one chunk per document) MED's hybrid is
     *                    0.810 against the dense leg's 0.800; through the worker's chunking it is still 0.3 %
     *                    under it (BENCHMARKS.md), and under the Cranfield-only defaults it was 2 % under.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"cranfield, 0.349, true", "med, 0.690, true"})
    void the_keyword_leg_holds_lucenes_level_and_hybrid_reaches_each_leg(String name, double lucene,
                                                                          boolean hybridGoal) throws IOException {
        RetrievalCollection collection = RetrievalCollection.load(name);
        String token = TestTokens.forTenant(name);
        store(name, collection);

        Map<SearchMode, Double> ndcg = new EnumMap<>(SearchMode.class);
        for (SearchMode mode : SearchMode.values()) ndcg.put(mode, meanNdcgAt10(collection, mode, token));
        System.out.println(name + " nDCG@10 by mode: " + ndcg);

        assertThat(ndcg.get(SearchMode.KEYWORD)).as("%s keyword nDCG@10 %s", name, ndcg)
                .isGreaterThanOrEqualTo(0.95 * lucene);
        if (!hybridGoal) return;
        assertThat(ndcg.get(SearchMode.HYBRID)).as("%s hybrid nDCG@10 %s", name, ndcg)
                .isGreaterThanOrEqualTo(ndcg.get(SearchMode.KEYWORD))
                .isGreaterThanOrEqualTo(ndcg.get(SearchMode.VECTOR));
    }

    private void store(String name, RetrievalCollection collection) {
        var corpus = new SearchCorpus(jdbc, embeddings, version.tag());
        List<RetrievalCollection.Doc> docs = collection.docs();
        for (int from = 0; from < docs.size(); from += 64) {
            List<RetrievalCollection.Doc> batch = docs.subList(from, Math.min(from + 64, docs.size()));
            List<float[]> vectors = embeddings.embedAll(batch.stream().map(d -> TextSegment.from(d.text())).toList())
                    .content().stream().map(e -> e.vector()).toList();
            for (int i = 0; i < batch.size(); i++) {
                RetrievalCollection.Doc doc = batch.get(i);
                corpus.add(SearchCorpus.Doc.of(name, doc.title().isBlank() ? "untitled" : doc.title())
                        .source(name + "/" + doc.id()), List.of(doc.text()), List.of(vectors.get(i)));
            }
        }
    }

    private double meanNdcgAt10(RetrievalCollection collection, SearchMode mode, String token) {
        double sum = 0;
        for (RetrievalCollection.Query query : collection.queries()) {
            JsonNode results = json(get("/api/v1/search?k=10&mode=" + mode.name().toLowerCase() + "&q="
                    + URLEncoder.encode(query.text(), StandardCharsets.UTF_8), token));
            Set<Integer> ranking = new LinkedHashSet<>();
            String prefix = collection.name() + "/";
            results.path("hits").forEach(hit ->
                    ranking.add(Integer.parseInt(hit.path("source").asText().substring(prefix.length()))));
            sum += RetrievalMetrics.ndcg(new ArrayList<>(ranking), collection.grades().get(query.number()), 10);
        }
        return sum / collection.queries().size();
    }
}
