package dev.quarry.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.embedding.UnknownEmbeddingVersionException;
import dev.quarry.jobs.Job;
import dev.quarry.reindex.ReindexInProgressException;
import dev.quarry.reindex.Reindexes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts a reindex: in one transaction the parent job and its {@code reindexes} row ({@link Reindexes#start},
 * at most one running per tenant) and the idempotency record; after commit the job goes to JobRunr.
 */
@Component
class ReindexIntake {
    static final String PATH = "/api/v1/admin/reindex";
    private final IdempotencyKeys idempotency;
    private final EmbeddingCatalog catalog;
    private final PgEmbeddingVersions versions;
    private final Reindexes reindexes;
    private final ObjectMapper json;

    ReindexIntake(IdempotencyKeys idempotency, EmbeddingCatalog catalog, PgEmbeddingVersions versions,
                  Reindexes reindexes, ObjectMapper json) {
        this.idempotency = idempotency;
        this.catalog = catalog;
        this.versions = versions;
        this.reindexes = reindexes;
        this.json = json;
    }

    /** What a client gets for an accepted reindex, now and on every replay. */
    record Accepted(UUID jobId, String status, String sourceVersion, String targetVersion) {
    }

    ResponseEntity<String> accept(String tenant, String key, String traceParent, String targetTag) {
        IdempotentRequest request = IdempotentRequest.of(tenant, key, "POST", PATH,
                targetTag.getBytes(StandardCharsets.UTF_8));
        return idempotency.execute(request, () -> start(tenant, key, traceParent, targetTag));
    }

    private StoredResponse start(String tenant, String key, String traceParent, String targetTag) {
        EmbeddingVersion target;
        try {
            target = catalog.require(targetTag);
        } catch (UnknownEmbeddingVersionException e) {
            throw new ApiProblem(ProblemKind.UNKNOWN_EMBEDDING_VERSION, e.getMessage());
        }
        EmbeddingVersion source = versions.active(tenant);
        if (source.tag().equals(target.tag())) {
            throw new ApiProblem(ProblemKind.EMBEDDING_VERSION_ALREADY_ACTIVE,
                    target.tag() + " already serves this tenant's searches");
        }
        Job job;
        try {
            job = reindexes.start(tenant, source.tag(), target.tag(), key, traceParent);
        } catch (ReindexInProgressException e) {
            throw new ApiProblem(ProblemKind.REINDEX_IN_PROGRESS,
                    "a reindex of this tenant is already running; follow it or wait for it to finish");
        }
        UUID jobId = job.id();
        return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, "/api/v1/jobs/" + jobId),
                write(new Accepted(jobId, job.status().name(), source.tag(), target.tag())));
    }

    private String write(Accepted accepted) {
        try {
            return json.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids and tags is always serializable", e);
        }
    }
}
