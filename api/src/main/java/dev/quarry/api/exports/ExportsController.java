package dev.quarry.api.exports;

import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.api.web.TraceContext;
import dev.quarry.documents.DocumentViewer;
import dev.quarry.exports.Export;
import dev.quarry.exports.Exports;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.PgJobStore;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Exports of the caller's documents. An export's id is its job's id: its live progress is the job's SSE
 * stream ({@code /api/v1/jobs/{id}/events}) and it is cancelled like any job.
 */
@RestController
class ExportsController {
    private final ExportIntake intake;
    private final ExportDownload download;
    private final Exports exports;
    private final PgJobStore jobs;

    ExportsController(ExportIntake intake, ExportDownload download, Exports exports, PgJobStore jobs) {
        this.intake = intake;
        this.download = download;
        this.exports = exports;
        this.jobs = jobs;
    }

    @Operation(summary = "Export documents (markdown, json, zip, pdf, xlsx) or conversations (json, markdown)",
            description = "Requires Idempotency-Key. Body: {\"format\", \"scope\": {all | collection | documentIds | "
                    + "createdFrom/createdTo | uploadedBy | conversationId | conversations: true}, \"includeVectors\"} "
                    + "or, for a bulk export, {\"exports\": [such objects]}. A conversation scope exports the "
                    + "caller's own threads (one, or all not in the trash) as json or markdown; another user's "
                    + "thread is 404, as everywhere. Answers 202; follow /api/v1/jobs/{jobId}/events.")
    @PostMapping(path = ExportIntake.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> export(Caller caller,
                                  @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                  @RequestBody(required = false) ExportSubmission body, HttpServletRequest request) {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        if (body == null) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "the body must be {\"format\": …, \"scope\": {…}}");
        }
        if (body.bulk() && (body.format() != null || body.scope() != null)) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "a bulk export lists its exports and nothing else");
        }
        return intake.accept(caller, idempotencyKey, TraceContext.of(request).traceParent(), body);
    }

    @Operation(summary = "An export's status, progress and, once complete, its file")
    @GetMapping(path = ExportIntake.PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ExportView status(Caller caller, @PathVariable UUID id) {
        Job job = jobs.find(caller.tenant(), id).orElseThrow(() -> ApiProblem.notFound("export", id));
        if (job.type() == JobType.EXPORT_BULK) {
            List<Export> children = exports.children(caller.tenant(), id).stream()
                    .filter(child -> readable(caller, child)).toList();
            if (children.isEmpty()) throw ApiProblem.notFound("export", id);
            return ExportView.bulk(job, children.stream().map(child -> view(caller.tenant(), child)).toList());
        }
        return view(caller.tenant(), readable(caller, id));
    }

    @Operation(summary = "Download an export's file (Range supported)")
    @GetMapping(path = ExportIntake.PATH + "/{id}/file")
    ResponseEntity<StreamingResponseBody> file(Caller caller, @PathVariable UUID id,
                                               @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                                               @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) String ifRange) {
        readable(caller, id);
        return download.serve(caller.tenant(), id, range, ifRange);
    }

    private Export readable(Caller caller, UUID id) {
        return exports.find(caller.tenant(), id).filter(export -> readable(caller, export))
                .orElseThrow(() -> ApiProblem.notFound("export", id));
    }

    /**
     * A conversation export only its requester, as the threads are. A document export: an admin or operator
     * reads every one of the tenant; a user only those made for exactly what they see (their own), since an
     * admin's export or another user's may hold documents private to someone else.
     */
    private static boolean readable(Caller caller, Export export) {
        if (export.scope().ofConversations()) return Objects.equals(export.requestedBy(), caller.subject());
        DocumentViewer viewer = caller.documentViewer();
        return viewer.seesAll() || export.scope().seenBy(viewer).equals(export.scope());
    }

    private ExportView view(String tenant, Export export) {
        Job job = jobs.find(tenant, export.id()).orElseThrow();
        return ExportView.of(export, job, export.expired(Instant.now()) || exports.purged(export.id()));
    }
}
