package dev.quarry.api.search;

import dev.quarry.documents.DocumentViewer;
import dev.quarry.llm.RetrievalTool;
import dev.quarry.search.HybridSearch;
import dev.quarry.search.SearchProperties;
import dev.quarry.search.SearchRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;

import java.util.List;
import java.util.Map;

/** Quarry's hybrid search (keyword and vector legs, fusion) as a {@link RetrievalTool}, with the search defaults. */
@Component
class HybridSearchTool implements RetrievalTool {
    private final HybridSearch search;
    private final SearchProperties properties;

    HybridSearchTool(HybridSearch search, SearchProperties properties) {
        this.search = search;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "hybrid-search";
    }

    @Override
    public String description() {
        return "BM25 and vector search over the tenant's chunks, fused by weighted reciprocal rank";
    }

    @Override
    public List<Passage> retrieve(String tenant, String subject, String query, int limit) {
        SearchRequest request = SearchParameters.parse(new LinkedMultiValueMap<>(
                Map.of("q", List.of(query), "k", List.of(Integer.toString(limit)))), properties, subject,
                // A tool retrieves on a user's behalf: what that user may see, never another's private documents.
                DocumentViewer.user(subject));
        return search.search(tenant, request).hits().stream()
                .map(hit -> new Passage(hit.documentId(), hit.chunkId(), hit.title(), hit.text(), hit.score()))
                .toList();
    }
}
