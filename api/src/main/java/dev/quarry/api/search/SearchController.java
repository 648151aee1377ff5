package dev.quarry.api.search;

import dev.quarry.search.HybridSearch;
import dev.quarry.search.SearchProperties;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.SearchResults;
import dev.quarry.api.budgets.Budgets;
import dev.quarry.api.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/search}. The query string is read as a whole by {@link SearchParameters}, so that
 * an unknown or repeated parameter is refused instead of ignored; the OpenAPI parameters are declared here.
 */
@RestController
class SearchController {
    private final HybridSearch search;
    private final SearchProperties properties;
    private final Budgets budgets;

    SearchController(HybridSearch search, SearchProperties properties, Budgets budgets) {
        this.search = search;
        this.properties = properties;
        this.budgets = budgets;
    }

    @Operation(summary = "Search: BM25 full text and HNSW vectors, fused by weighted reciprocal rank", parameters = {
            @Parameter(name = "q", in = ParameterIn.QUERY, required = true, description = "the query, at most 8000 "
                    + "characters; for the keyword leg words are OR-ed and BM25-scored, \"a phrase\" boosts, "
                    + "+word or +\"a phrase\" is required, -word or -\"a phrase\" excludes"),
            @Parameter(name = "k", in = ParameterIn.QUERY, description = "hits to return, 1 to 100 (default 10)"),
            @Parameter(name = "mode", in = ParameterIn.QUERY, description = "hybrid (default), keyword or vector"),
            @Parameter(name = "collection", in = ParameterIn.QUERY, description = "only this collection"),
            @Parameter(name = "tags", in = ParameterIn.QUERY, description = "comma-separated or repeated; a hit's "
                    + "document carries every one"),
            @Parameter(name = "source", in = ParameterIn.QUERY, description = "only documents with this source"),
            @Parameter(name = "mediaType", in = ParameterIn.QUERY, description = "only this media type, e.g. "
                    + "application/pdf"),
            @Parameter(name = "createdFrom", in = ParameterIn.QUERY, description = "uploaded at or after: ISO-8601 "
                    + "date-time with offset, or a date (midnight UTC)"),
            @Parameter(name = "createdTo", in = ParameterIn.QUERY, description = "uploaded before (exclusive)"),
            @Parameter(name = "halfLife", in = ParameterIn.QUERY, description = "time decay: ISO-8601 duration "
                    + "(P30D, PT12H) after which a document's score halves, by its published date or else its "
                    + "upload date; P0D turns decay off; default: the collection's setting"),
            @Parameter(name = "keywordWeight", in = ParameterIn.QUERY, description = "fusion weight of the keyword "
                    + "leg, 0 to 100"),
            @Parameter(name = "vectorWeight", in = ParameterIn.QUERY, description = "fusion weight of the vector "
                    + "leg, 0 to 100"),
            @Parameter(name = "rrfK", in = ParameterIn.QUERY, description = "fusion constant: a leg gives a chunk "
                    + "at rank r weight / (rrfK + r)"),
            @Parameter(name = "reliabilityBoost", in = ParameterIn.QUERY, description = "score factors per "
                    + "reliability tag, e.g. verified:2,official:1.5"),
            @Parameter(name = "feedback", in = ParameterIn.QUERY, description = "hybrid: how many of the keyword "
                    + "leg's best chunks move the vector query towards them, 0 to 10 (0 = off)"),
            @Parameter(name = "scope", in = ParameterIn.QUERY, description = "all (default): the tenant's "
                    + "documents; mine: only those the caller uploaded (the token's sub)")})
    @GetMapping(path = "/api/v1/search", produces = MediaType.APPLICATION_JSON_VALUE)
    SearchResults search(Caller caller,
                         @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params) {
        SearchRequest request = SearchParameters.parse(params, properties, caller.subject(), caller.documentViewer());
        // The query's embedding is charged to today's budgets before any work is done.
        budgets.admit(caller.tenant(), caller.subject(),
                budgets.estimateForBytes(request.q().getBytes(StandardCharsets.UTF_8).length));
        return search.search(caller.tenant(), request);
    }
}
