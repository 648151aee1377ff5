package dev.quarry.api.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.budgets.Budgets;
import dev.quarry.api.documents.ReingestCandidates.Candidate;
import dev.quarry.api.documents.ReingestCandidates.State;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.jobs.QueueDepthGuard;
import dev.quarry.api.jobs.RequestedPriority;
import dev.quarry.api.web.Caller;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.jobs.JobPriority;
import dev.quarry.jobs.JobType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/v1/documents/reingest}: re-syncs a set of documents in one request and one transaction.
 * Matching documents are locked and classified in one statement. Those whose current content is already
 * indexed for the current embedding version get no job at all and are only counted: a re-ingest would
 * leave them exactly as they are, so a job would be history without an effect (the per-document endpoint
 * still records one, because its client asked for a job to follow). Documents with an ingest in progress
 * are skipped and counted. The others get ingest jobs through the usual outbox path (committed with the
 * idempotency record, handed to JobRunr after commit), as many as the queue's backpressure limit admits;
 * the rest are reported as deferred, and repeating the request with a new key picks them up. The jobs wait at
 * the bulk priority, behind single uploads, so a re-sync of a collection does not delay anyone's upload.
 * The queued jobs are charged to the caller's daily budgets like uploads of their documents.
 */
@Component
class BulkReingest {
    static final String PATH = DocumentIntake.PATH + "/reingest";
    /**
     * Job ids listed in the answer (stored with the idempotency record, so bounded): as many as a request by
     * {@code documentIds} can match, so that such a client always gets every id; a collection may queue more.
     */
    static final int MAX_LISTED_JOBS = ReingestFilter.MAX_IDS;
    private final IdempotencyKeys idempotency;
    private final ReingestCandidates candidates;
    private final DocumentIntake intake;
    private final QueueDepthGuard backpressure;
    private final EmbeddingVersion embeddingVersion;
    private final Budgets budgets;
    private final ObjectMapper json;

    BulkReingest(IdempotencyKeys idempotency, ReingestCandidates candidates, DocumentIntake intake,
                 QueueDepthGuard backpressure, EmbeddingVersion embeddingVersion, Budgets budgets, ObjectMapper json) {
        this.budgets = budgets;
        this.idempotency = idempotency;
        this.candidates = candidates;
        this.intake = intake;
        this.backpressure = backpressure;
        this.embeddingVersion = embeddingVersion;
        this.json = json;
    }

    /**
     * The answer, stored and replayed. {@code jobs} lists at most {@value #MAX_LISTED_JOBS} of the
     * {@code queued} job ids; {@code jobsTruncated} says whether more were queued.
     */
    record Summary(int matched, int queued, int unchanged, int inProgress, int deferred, List<UUID> jobs,
                   boolean jobsTruncated) {
    }

    /** {@code priority}: the jobs' priority ({@link JobPriority#BULK_INGEST} unless asked), {@code requested} what was asked. */
    ResponseEntity<String> reingest(Caller caller, String key, String traceParent, ReingestFilter filter,
                                    Integer requested, int priority) {
        String tenant = caller.tenant();
        IdempotentRequest request = IdempotentRequest.of(tenant, key, "POST", PATH,
                RequestedPriority.fingerprinted(requested, filter.fingerprint()));
        return idempotency.execute(request, () -> {
            List<Candidate> matched = candidates.lock(tenant, caller.documentViewer(), filter, embeddingVersion.tag());
            List<Candidate> stale = matched.stream().filter(c -> c.state() == State.STALE).toList();
            // 503 with nothing stored when the queue is full; otherwise never more than it takes.
            int admitted = backpressure.admit(JobType.INGEST, stale.size());
            List<UUID> jobs = new ArrayList<>(Math.min(admitted, MAX_LISTED_JOBS));
            long bytes = 0;
            for (Candidate document : stale.subList(0, admitted)) {
                UUID jobId = intake.createIngest(tenant, document.id(), key, traceParent, priority).id();
                if (jobs.size() < MAX_LISTED_JOBS) jobs.add(jobId);
                bytes += document.sizeBytes();
            }
            // Every queued job embeds its document: charged like uploads of them, all or none (a 429 queues nothing).
            if (admitted > 0) budgets.admit(tenant, caller.subject(), budgets.estimateForBytes(bytes));
            Summary summary = new Summary(matched.size(), admitted, count(matched, State.UNCHANGED),
                    count(matched, State.IN_PROGRESS), stale.size() - admitted, jobs, admitted > jobs.size());
            return new StoredResponse(HttpStatus.ACCEPTED.value(), Map.of(), write(summary));
        });
    }

    private static int count(List<Candidate> matched, State state) {
        return (int) matched.stream().filter(c -> c.state() == state).count();
    }

    private String write(Summary summary) {
        try {
            return json.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary of counts and ids is always serializable", e);
        }
    }
}
