package dev.quarry.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.jobs.JobEnqueuer;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.embedding.UnknownEmbeddingVersionException;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.jobs.ReindexJob;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts a reindex: in one transaction the parent job, its {@code reindexes} row (at most one running per
 * tenant, by a unique index) and the idempotency record; after commit the job goes to JobRunr.
 */
@Component
class ReindexIntake {
    static final String PATH = "/api/v1/admin/reindex";
    private final IdempotencyKeys idempotency;
    private final EmbeddingCatalog catalog;
    private final PgEmbeddingVersions versions;
    private final PgJobStore jobs;
    private final JobEnqueuer enqueuer;
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    ReindexIntake(IdempotencyKeys idempotency, EmbeddingCatalog catalog, PgEmbeddingVersions versions, PgJobStore jobs,
                  JobEnqueuer enqueuer, JdbcClient jdbc, ObjectMapper json) {
        this.idempotency = idempotency;
        this.catalog = catalog;
        this.versions = versions;
        this.jobs = jobs;
        this.enqueuer = enqueuer;
        this.jdbc = jdbc;
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
        jdbc.sql("select 1 from quarry_close_ended_reindexes(?)").param(tenant).query(Integer.class).single();
        UUID jobId = UUID.randomUUID();
        Job job = jobs.create(new NewJob(jobId, tenant, JobType.REINDEX, null, key, traceParent));
        try {
            jdbc.sql("""
                            insert into reindexes (job_id, tenant_id, source_version, target_version)
                            values (?, ?, ?, ?)""")
                    .params(jobId, tenant, source.tag(), target.tag()).update();
        } catch (DuplicateKeyException e) {
            throw new ApiProblem(ProblemKind.REINDEX_IN_PROGRESS,
                    "a reindex of this tenant is already running; follow it or wait for it to finish");
        }
        enqueuer.enqueueAfterCommit(jobId, new ReindexJob(jobId, tenant));
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
