package dev.quarry.api.embeddings;

import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.api.web.ResultFileDownload;
import dev.quarry.api.web.TraceContext;
import dev.quarry.embedding.batch.EmbeddingBatch;
import dev.quarry.embedding.batch.EmbeddingBatchProperties;
import dev.quarry.embedding.batch.EmbeddingBatches;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Batch embedding of caller-supplied texts. A batch's id is its job's id: its progress is the job's SSE stream
 * ({@code /api/v1/jobs/{id}/events}) and it is cancelled like any job ({@code /api/v1/jobs/{id}/cancel}).
 */
@RestController
class EmbeddingBatchesController {
    private final EmbeddingBatchIntake intake;
    private final EmbeddingBatches batches;
    private final PgJobStore jobs;
    private final ResultFileDownload download;
    private final EmbeddingBatchProperties limits;

    EmbeddingBatchesController(EmbeddingBatchIntake intake, EmbeddingBatches batches, PgJobStore jobs,
                               ResultFileDownload download, EmbeddingBatchProperties limits) {
        this.intake = intake;
        this.batches = batches;
        this.jobs = jobs;
        this.download = download;
        this.limits = limits;
    }

    @Operation(summary = "Embed a batch of texts as a durable job",
            description = "Requires Idempotency-Key. Body: {\"items\": [{\"id\", \"text\"}], \"model\": optional, the "
                    + "tenant's active version}. Answers 202; follow /api/v1/jobs/{id}/events, then download "
                    + "/api/v1/embeddings/batches/{id}/results (JSONL).")
    @PostMapping(path = EmbeddingBatchIntake.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> submit(Caller caller,
                                  @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                  @RequestParam(required = false) Integer priority,
                                  HttpServletRequest request) throws IOException {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        // Read here, not bound by Spring: a body over the limit is refused without being held whole.
        byte[] body = request.getInputStream().readNBytes(limits.maxRequestBytes() + 1);
        return intake.accept(caller, idempotencyKey, TraceContext.of(request).traceParent(), body, priority);
    }

    @Operation(summary = "A batch's status, counts and, once complete, its results file")
    @GetMapping(path = EmbeddingBatchIntake.PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    BatchView status(Caller caller, @PathVariable UUID id) {
        EmbeddingBatch batch = batches.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("batch", id));
        Job job = jobs.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("batch", id));
        return BatchView.of(batch, job, Instant.now());
    }

    @Operation(summary = "Download a batch's results: JSONL, one {\"id\", \"embedding\", \"tokens\"} per item "
            + "(Range supported)")
    @GetMapping(path = EmbeddingBatchIntake.PATH + "/{id}/results")
    ResponseEntity<StreamingResponseBody> results(Caller caller, @PathVariable UUID id,
                                                  @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                                                  @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) String ifRange) {
        EmbeddingBatch batch = batches.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("batch", id));
        Job job = jobs.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("batch", id));
        if (job.status() != JobStatus.SUCCEEDED || !batch.complete()) {
            throw new ApiProblem(ProblemKind.RESULTS_NOT_READY, "batch " + id + " is " + job.status()
                    + "; its results can be downloaded once it has SUCCEEDED");
        }
        if (batch.expired(Instant.now())) {
            throw new ApiProblem(ProblemKind.RESULTS_EXPIRED, "the results of batch " + id + " expired at "
                    + batch.expiresAt() + "; submit the texts again (cached vectors make that cheap)");
        }
        return download.serve(new ResultFileDownload.ResultFile(batch.id(), batch.partSize(), batch.sizeBytes(),
                batch.sha256(), "application/jsonl", batch.filename()), range, ifRange);
    }
}
