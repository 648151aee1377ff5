package dev.quarry.api.exports;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.exports.Export;
import dev.quarry.exports.Exports;
import dev.quarry.exports.PgExportFiles;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Serves an export file from {@code export_parts}, a part at a time, whichever process wrote it. One byte
 * range ({@code Range: bytes=a-b}, {@code a-} or {@code -n}) is answered 206 with {@code Content-Range}; a
 * request for several ranges gets the whole file (RFC 9110 lets a server ignore Range). The ETag is the
 * file's SHA-256, so {@code If-Range} works.
 */
@Component
class ExportDownload {
    private final Exports exports;
    private final PgExportFiles files;
    private final PgJobStore jobs;

    ExportDownload(Exports exports, PgExportFiles files, PgJobStore jobs) {
        this.exports = exports;
        this.files = files;
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
        long size = export.sizeBytes();
        String etag = "\"" + export.sha256() + "\"";
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType(export.contentType()));
        headers.setContentDisposition(ContentDisposition.attachment().filename(export.filename()).build());
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        headers.setETag(etag);
        List<HttpRange> ranges = ranges(rangeHeader, ifRange, etag, size);
        if (ranges.size() != 1) {
            headers.setContentLength(size);
            return new ResponseEntity<>(body(export, 0, size), headers, HttpStatus.OK);
        }
        long first = ranges.get(0).getRangeStart(size);
        long last = ranges.get(0).getRangeEnd(size);
        if (first >= size) {
            throw new ApiProblem(ProblemKind.RANGE_NOT_SATISFIABLE, "the file has " + size + " bytes");
        }
        headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size);
        headers.setContentLength(last - first + 1);
        return new ResponseEntity<>(body(export, first, last - first + 1), headers, HttpStatus.PARTIAL_CONTENT);
    }

    private static List<HttpRange> ranges(String header, String ifRange, String etag, long size) {
        if (header == null || (ifRange != null && !ifRange.equals(etag))) return List.of();
        try {
            return HttpRange.parseRanges(header);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemKind.RANGE_NOT_SATISFIABLE, "Range must be bytes=first-last of a file of "
                    + size + " bytes");
        }
    }

    private StreamingResponseBody body(Export export, long offset, long length) {
        return out -> {
            try (InputStream in = files.reader(export.id(), export.partSize(), offset, length)) {
                in.transferTo(out);
            }
        };
    }
}
