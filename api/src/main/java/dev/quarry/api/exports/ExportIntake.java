package dev.quarry.api.exports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.idempotency.IdempotencyKeys;
import dev.quarry.api.idempotency.IdempotentRequest;
import dev.quarry.api.idempotency.StoredResponse;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.exports.ExportFormat;
import dev.quarry.exports.ExportRequest;
import dev.quarry.exports.ExportScope;
import dev.quarry.exports.Exports;
import dev.quarry.exports.PgExportScopes;
import dev.quarry.jobs.Job;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts an export or a bulk export: checks every scope against the caller's tenant (a format it knows, a
 * scope that is not empty and selects documents, no id that is not the tenant's), then records the jobs
 * through {@link Exports} with the idempotency record, in one transaction. A rejected request leaves nothing.
 */
@Component
class ExportIntake {
    static final String PATH = "/api/v1/exports";
    private final IdempotencyKeys idempotency;
    private final Exports exports;
    private final PgExportScopes scopes;
    private final ObjectMapper json;

    ExportIntake(IdempotencyKeys idempotency, Exports exports, PgExportScopes scopes, ObjectMapper json) {
        this.idempotency = idempotency;
        this.exports = exports;
        this.scopes = scopes;
        this.json = json;
    }

    record Accepted(UUID exportId, UUID jobId, String status, String format) {
    }

    record BulkAccepted(UUID jobId, String status, List<Accepted> exports) {
    }

    ResponseEntity<String> accept(Caller caller, String key, String traceParent, ExportSubmission submission) {
        IdempotentRequest request = IdempotentRequest.of(caller.tenant(), key, "POST", PATH, write(submission).getBytes());
        return idempotency.execute(request, () -> submission.bulk()
                ? bulk(caller, key, traceParent, submission.exports())
                : single(caller, key, traceParent, submission));
    }

    private StoredResponse single(Caller caller, String key, String traceParent, ExportSubmission submission) {
        Job job = exports.request(validated(caller, key, traceParent, submission, ""));
        Accepted accepted = new Accepted(job.id(), job.id(), job.status().name(), submission.format().toLowerCase());
        return new StoredResponse(HttpStatus.ACCEPTED.value(),
                Map.of(HttpHeaders.LOCATION, PATH + "/" + job.id()), write(accepted));
    }

    private StoredResponse bulk(Caller caller, String key, String traceParent, List<ExportSubmission> submissions) {
        if (submissions.isEmpty() || submissions.size() > ExportSubmission.MAX_BULK) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER,
                    "exports must list 1 to " + ExportSubmission.MAX_BULK + " exports");
        }
        List<ExportRequest> requests = new ArrayList<>();
        for (int i = 0; i < submissions.size(); i++) {
            ExportSubmission submission = submissions.get(i);
            if (submission == null || submission.bulk()) {
                throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "exports[" + i + "] must be a single export");
            }
            requests.add(validated(caller, key, traceParent, submission, "exports[" + i + "]: "));
        }
        List<Job> jobs = exports.requestBulk(requests);
        List<Accepted> children = new ArrayList<>();
        for (int i = 1; i < jobs.size(); i++) {
            children.add(new Accepted(jobs.get(i).id(), jobs.get(i).id(), jobs.get(i).status().name(),
                    requests.get(i - 1).format().name().toLowerCase()));
        }
        Job parent = jobs.get(0);
        return new StoredResponse(HttpStatus.ACCEPTED.value(),
                Map.of(HttpHeaders.LOCATION, "/api/v1/jobs/" + parent.id()),
                write(new BulkAccepted(parent.id(), parent.status().name(), children)));
    }

    private ExportRequest validated(Caller caller, String key, String traceParent, ExportSubmission submission,
                                    String where) {
        ExportFormat format = ExportFormat.parse(submission.format()).orElseThrow(() -> new ApiProblem(
                ProblemKind.UNKNOWN_EXPORT_FORMAT, where + "format must be one of markdown, json, zip, pdf, xlsx, not "
                + submission.format()));
        ExportScope scope = submission.scope() == null ? null : submission.scope().seenBy(caller.documentViewer());
        if (scope == null || scope.isEmpty()) {
            throw new ApiProblem(ProblemKind.EMPTY_SCOPE, where + "the scope is empty: give all, collection, "
                    + "documentIds, createdFrom/createdTo or uploadedBy");
        }
        String problem = scope.problem();
        if (problem != null) throw new ApiProblem(ProblemKind.INVALID_PARAMETER, where + problem);
        if (scope.ofConversations()) return conversations(caller, key, traceParent, submission, format, scope, where);
        if (scope.documentIds() != null) {
            List<UUID> unknown = scopes.unknown(caller.tenant(), scope.viewer(), scope.documentIds());
            if (!unknown.isEmpty()) {
                throw new ApiProblem(ProblemKind.UNKNOWN_DOCUMENTS, where + unknown.size()
                        + " of the documentIds are not documents of this tenant, e.g. " + unknown.get(0));
            }
        }
        if (scopes.count(caller.tenant(), scope) == 0) {
            throw new ApiProblem(ProblemKind.EMPTY_SCOPE, where + "the scope selects no documents");
        }
        boolean vectors = Boolean.TRUE.equals(submission.includeVectors());
        if (vectors && format != ExportFormat.JSON) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, where + "includeVectors is for the json format only");
        }
        return new ExportRequest(caller.tenant(), scope, format, vectors, caller.subject(), key, traceParent);
    }

    /**
     * A conversation export: only the caller's own threads, in a format that holds conversations. Another user's
     * thread is not found, exactly as {@code GET /api/v1/conversations/{id}} answers for it.
     */
    private ExportRequest conversations(Caller caller, String key, String traceParent, ExportSubmission submission,
                                        ExportFormat format, ExportScope scope, String where) {
        if (!format.conversations()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, where + "conversations export as "
                    + String.join(" or ", ExportFormat.conversationFormats()) + ", not " + submission.format());
        }
        if (Boolean.TRUE.equals(submission.includeVectors())) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, where + "includeVectors is for documents only");
        }
        if (caller.subject() == null || caller.subject().isBlank()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN, where + "conversations need a token with a sub");
        }
        if (scopes.count(caller.tenant(), caller.subject(), scope) == 0) {
            if (scope.conversationId() != null) throw ApiProblem.notFound("conversation", scope.conversationId());
            throw new ApiProblem(ProblemKind.EMPTY_SCOPE, where + "you have no conversations to export");
        }
        return new ExportRequest(caller.tenant(), scope, format, false, caller.subject(), key, traceParent);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings, ids and instants is always serializable", e);
        }
    }
}
