package dev.quarry.api.exports;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.api.web.ResultFileDownload;
import dev.quarry.exports.Export;
import dev.quarry.exports.Exports;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.time.Instant;
import java.util.UUID;

/**
 * Serves an export file once its job has succeeded and until it expires, through {@link ResultFileDownload}
 * (any process, a part at a time, one {@code Range}, the SHA-256 as ETag).
 */
@Component
class ExportDownload {
    private final Exports exports;
    private final ResultFileDownload download;
    private final PgJobStore jobs;

    ExportDownload(Exports exports, ResultFileDownload download, PgJobStore jobs) {
        this.exports = exports;
        this.download = download;
        this.jobs = jobs;
    }

    ResponseEntity<StreamingResponseBody> serve(String tenant, UUID id, String rangeHeader, String ifRange) {
        Export export = exports.find(tenant, id).orElseThrow(() -> ApiProblem.notFound("export", id));
        Job job = jobs.find(tenant, id).orElseThrow(() -> ApiProblem.notFound("export", id));
        if (job.status() != JobStatus.SUCCEEDED || !export.complete()) {
            throw new ApiProblem(ProblemKind.EXPORT_NOT_READY, "export " + id + " is " + job.status()
                    + "; its file can be downloaded once it has SUCCEEDED");
        }
        if (export.expired(Instant.now()) || exports.purged(id)) {
            throw new ApiProblem(ProblemKind.EXPORT_EXPIRED, "export " + id + " expired at " + export.expiresAt()
                    + "; request a new one");
        }
        return download.serve(new ResultFileDownload.ResultFile(export.id(), export.partSize(), export.sizeBytes(),
                export.sha256(), export.contentType(), export.filename()), rangeHeader, ifRange);
    }
}
