package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.embedding.UnknownEmbeddingVersionException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * The caller's tenant's embedding versions: their coverage, which one serves search, switching between
 * versions that cover every document, and deleting one that does not serve. Admin only (security chain).
 */
@RestController
@RequestMapping("/api/v1/admin/embedding-versions")
class EmbeddingVersionsController {
    private final PgEmbeddingVersions versions;
    private final EmbeddingCatalog catalog;

    EmbeddingVersionsController(PgEmbeddingVersions versions, EmbeddingCatalog catalog) {
        this.versions = versions;
        this.catalog = catalog;
    }

    @Operation(summary = "Every embedding version with its coverage of the tenant's documents; one is active")
    @GetMapping
    Map<String, Object> list(Caller caller) {
        List<PgEmbeddingVersions.Coverage> coverage = versions.coverage(caller.tenant());
        return Map.of("activeVersion", versions.active(caller.tenant()).tag(),
                "configuredVersion", catalog.configured().tag(), "versions", coverage);
    }

    @Operation(summary = "Serve the tenant's searches from this version (409 unless it covers every document)")
    @PostMapping("/{version}/activate")
    Map<String, Object> activate(Caller caller, @PathVariable String version) {
        EmbeddingVersion known = versions.registered(version).orElseThrow(() -> unknown(version));
        try {
            catalog.require(version); // the query must be embeddable with it
            versions.activate(caller.tenant(), known);
        } catch (UnknownEmbeddingVersionException e) {
            throw new ApiProblem(ProblemKind.UNKNOWN_EMBEDDING_VERSION, e.getMessage());
        } catch (PgEmbeddingVersions.VersionNotCoveredException e) {
            throw new ApiProblem(ProblemKind.EMBEDDING_VERSION_NOT_COVERED, e.getMessage());
        }
        return Map.of("activeVersion", version);
    }

    @Operation(summary = "Delete the tenant's vectors of a version that is not active (409 if it is)")
    @DeleteMapping("/{version}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String version) {
        try {
            if (!versions.delete(caller.tenant(), version)) throw unknown(version);
        } catch (PgEmbeddingVersions.VersionInUseException e) {
            throw new ApiProblem(ProblemKind.EMBEDDING_VERSION_IN_USE, e.getMessage());
        }
        return ResponseEntity.noContent().build();
    }

    private static ApiProblem unknown(String version) {
        return ApiProblem.notFound("embedding version", version);
    }
}
