package dev.quarry.api.search;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.llm.RetrievalTool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The hybrid search as a retrieval tool: the tenant's best passages for a question, with what a citation needs. */
class HybridSearchToolIT extends ApiIntegrationTest {
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;
    @Autowired
    List<RetrievalTool> tools;

    @Test
    void it_returns_the_tenants_best_passages_first_and_never_another_tenants() {
        String tenant = "tool-" + UUID.randomUUID();
        var corpus = new SearchCorpus(jdbc, embeddings, version.tag());
        UUID granite = corpus.add(SearchCorpus.Doc.of(tenant, "kitchen"),
                "Granite countertops resist heat and scratches in a busy kitchen.");
        corpus.add(SearchCorpus.Doc.of(tenant, "training"), "The classifier's training phase took three weeks.");
        corpus.add(SearchCorpus.Doc.of("other-" + tenant, "kitchen elsewhere"),
                "Granite countertops resist heat and scratches in a busy kitchen.");
        RetrievalTool tool = tools.stream().filter(t -> t.name().equals("hybrid-search")).findFirst().orElseThrow();

        List<RetrievalTool.Passage> passages = tool.retrieve(tenant, "someone", "granite countertops heat", 5);

        assertThat(passages).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        assertThat(passages.get(0).documentId()).isEqualTo(granite);
        assertThat(passages.get(0).title()).isEqualTo("kitchen");
        assertThat(passages.get(0).text()).contains("Granite countertops");
        assertThat(passages).extracting(RetrievalTool.Passage::title).doesNotContain("kitchen elsewhere");
    }
}
