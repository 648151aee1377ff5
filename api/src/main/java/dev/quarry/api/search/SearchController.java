package dev.quarry.api.search;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.embedding.EmbeddingVersion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SearchController {
    static final int MAX_K = 100;
    static final int MAX_QUERY_LENGTH = 1000;
    private final PgHybridSearch search;
    private final EmbeddingModel embeddings;
    private final EmbeddingVersion version;

    SearchController(PgHybridSearch search, EmbeddingModel embeddings, EmbeddingVersion version) {
        this.search = search;
        this.embeddings = embeddings;
        this.version = version;
    }

    @Operation(summary = "Hybrid search: full text and vector similarity fused by reciprocal rank")
    @GetMapping(path = "/api/v1/search", produces = MediaType.APPLICATION_JSON_VALUE)
    SearchResults search(Caller caller,
                         @Parameter(description = "the query; web search syntax (\"phrase\", or, -not) for the "
                                 + "keyword leg")
                         @RequestParam(required = false) String q,
                         @RequestParam(defaultValue = "10") int k,
                         @RequestParam(required = false) String collection) {
        if (q == null || q.isBlank()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "q must be a non-blank query");
        }
        if (q.length() > MAX_QUERY_LENGTH || q.indexOf('\0') >= 0) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER,
                    "q must be at most " + MAX_QUERY_LENGTH + " characters, without NUL");
        }
        if (k < 1 || k > MAX_K) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "k must be between 1 and " + MAX_K);
        }
        String scope = collection == null || collection.isBlank() ? null : collection;
        if (scope != null && scope.indexOf('\0') >= 0) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "collection must not contain NUL");
        }
        float[] embedding = embeddings.embed(q).content().vector();
        return new SearchResults(q, k, scope, version.tag(), search.search(caller.tenant(), q, embedding, scope, k));
    }
}
