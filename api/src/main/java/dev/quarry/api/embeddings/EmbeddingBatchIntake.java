package dev.quarry.api.embeddings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.budgets.Budgets;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.jobs.QueueDepthGuard;
import dev.quarry.api.jobs.RequestedPriority;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.embedding.batch.BatchItem;
import dev.quarry.embedding.batch.EmbeddingBatchProperties;
import dev.quarry.embedding.batch.EmbeddingBatchRequest;
import dev.quarry.embedding.batch.EmbeddingBatches;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Accepts an embedding batch: checks the body against the limits ({@code quarry.embedding.batch.*}: 413
 * {@code batch-too-large}), the items (ids present, short and unique, texts not blank: 422
 * {@code invalid-batch-items}) and the model (the tenant's active version), then, in one transaction with the
 * idempotency record, records the batch and its job ({@link EmbeddingBatches#request}) and charges the texts'
 * estimated tokens to today's budgets, as a search's query is. A refused batch leaves nothing behind.
 */
@Component
class EmbeddingBatchIntake {
    static final String PATH = "/api/v1/embeddings/batches";
    static final int MAX_ID_CHARS = 256;
    private final IdempotencyKeys idempotency;
    private final EmbeddingBatches batches;
    private final PgEmbeddingVersions versions;
    private final QueueDepthGuard backpressure;
    private final Budgets budgets;
    private final EmbeddingBatchProperties limits;
    private final ObjectMapper json;

    EmbeddingBatchIntake(IdempotencyKeys idempotency, EmbeddingBatches batches, PgEmbeddingVersions versions,
                         QueueDepthGuard backpressure, Budgets budgets, EmbeddingBatchProperties limits,
                         ObjectMapper json) {
        this.idempotency = idempotency;
        this.batches = batches;
        this.versions = versions;
        this.backpressure = backpressure;
        this.budgets = budgets;
        this.limits = limits;
        this.json = json;
    }

    /** What a client gets for an accepted batch, now and on every replay. */
    record Accepted(UUID id, UUID jobId, String status, String model, int items, String events) {
    }

    ResponseEntity<String> accept(Caller caller, String key, String traceParent, byte[] body, Integer priority) {
        int granted = RequestedPriority.resolve(caller, priority, JobType.EMBED_BATCH.defaultPriority());
        IdempotentRequest request = IdempotentRequest.of(caller.tenant(), key, "POST", PATH,
                RequestedPriority.fingerprinted(priority, body));
        return idempotency.execute(request, () -> submit(caller, key, traceParent, parse(body), granted));
    }

    private StoredResponse submit(Caller caller, String key, String traceParent, BatchSubmission submission,
                                  int priority) {
        List<BatchItem> items = validated(submission.items());
        EmbeddingVersion version = version(caller.tenant(), submission.model());
        backpressure.admit(JobType.EMBED_BATCH);
        Job job = batches.request(new EmbeddingBatchRequest(caller.tenant(), version.tag(), items, caller.subject(),
                key, traceParent, priority));
        // Last, as for uploads: the budget row stays locked only until the commit; a refusal rolls back the rest.
        long bytes = items.stream().mapToLong(item -> item.text().getBytes(StandardCharsets.UTF_8).length).sum();
        budgets.admit(caller.tenant(), caller.subject(), budgets.estimateForBytes(bytes));
        Accepted accepted = new Accepted(job.id(), job.id(), job.status().name(), version.tag(), items.size(),
                "/api/v1/jobs/" + job.id() + "/events");
        return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(HttpHeaders.LOCATION, PATH + "/" + job.id()),
                write(accepted));
    }

    private BatchSubmission parse(byte[] body) {
        // The idempotency filter, which reads the body first, refuses the same way.
        if (body.length > limits.maxRequestBytes()) throw new ApiProblem(ProblemKind.BATCH_TOO_LARGE, limits.bodyTooLarge());
        try {
            BatchSubmission submission = json.readValue(body, BatchSubmission.class);
            if (submission == null) throw new IOException("null");
            return submission;
        } catch (IOException e) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "the body must be {\"items\": [{\"id\": …, \"text\": …}],"
                    + " \"model\": optional}");
        }
    }

    private List<BatchItem> validated(List<BatchSubmission.Item> items) {
        if (items == null || items.isEmpty()) {
            throw new ApiProblem(ProblemKind.INVALID_BATCH_ITEMS, "items must list at least one {\"id\", \"text\"}");
        }
        if (items.size() > limits.maxItems()) {
            throw new ApiProblem(ProblemKind.BATCH_TOO_LARGE, "a batch holds at most " + limits.maxItems()
                    + " items (quarry.embedding.batch.max-items), not " + items.size() + "; split it");
        }
        List<BatchItem> checked = new ArrayList<>(items.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            BatchSubmission.Item item = items.get(i);
            String where = "items[" + i + "]";
            if (item == null || item.id() == null || item.id().isBlank() || item.id().length() > MAX_ID_CHARS) {
                throw new ApiProblem(ProblemKind.INVALID_BATCH_ITEMS, where + " needs an id of 1 to " + MAX_ID_CHARS
                        + " characters");
            }
            if (!ids.add(item.id())) {
                throw new ApiProblem(ProblemKind.INVALID_BATCH_ITEMS, where + " repeats the id '" + item.id()
                        + "': ids are unique within a batch, they name the result lines");
            }
            if (item.text() == null || item.text().isBlank()) {
                throw new ApiProblem(ProblemKind.INVALID_BATCH_ITEMS, where + " ('" + item.id() + "') has no text");
            }
            if (item.text().length() > limits.maxTextChars()) {
                throw new ApiProblem(ProblemKind.BATCH_TOO_LARGE, where + " ('" + item.id() + "') has "
                        + item.text().length() + " characters; a text may have at most " + limits.maxTextChars()
                        + " (quarry.embedding.batch.max-text-chars)");
            }
            checked.add(new BatchItem(item.id(), item.text()));
        }
        return checked;
    }

    /**
     * The tenant's active version, which a named model must be (its tag or the model part of it): vectors of
     * another version would not compare with the tenant's chunks, nor share their cache.
     */
    private EmbeddingVersion version(String tenant, String model) {
        EmbeddingVersion active = versions.active(tenant);
        if (model == null || model.equals(active.tag()) || model.equals(active.tag().substring(0, active.tag().indexOf('@')))) {
            return active;
        }
        throw new ApiProblem(ProblemKind.EMBEDDING_VERSION_NOT_ACTIVE, "this tenant embeds with " + active.tag()
                + "; ask for that model or leave model out (an admin switches versions through a reindex)");
    }

    private String write(Accepted accepted) {
        try {
            return json.writeValueAsString(accepted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids and strings is always serializable", e);
        }
    }
}
