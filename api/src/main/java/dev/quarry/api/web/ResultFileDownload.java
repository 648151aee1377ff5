package dev.quarry.api.web;

import dev.quarry.exports.PgExportFiles;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.InputStream;
import java.util.List;
import java.util.UUID;

/**
 * Serves a job's result file (an export's, an embedding batch's) from {@code export_parts}, a part at a time,
 * whichever process wrote it. One byte range ({@code Range: bytes=a-b}, {@code a-} or {@code -n}) is answered
 * 206 with {@code Content-Range}; a request for several ranges gets the whole file (RFC 9110 lets a server
 * ignore Range). The ETag is the file's SHA-256, so {@code If-Range} works. The caller checks first that the
 * file is the tenant's, complete and not expired.
 */
@Component
public class ResultFileDownload {
    private final PgExportFiles files;

    ResultFileDownload(PgExportFiles files) {
        this.files = files;
    }

    /** A complete file: its job's id, how it is stored and how it is named. */
    public record ResultFile(UUID id, int partSize, long size, String sha256, String contentType, String filename) {
    }

    public ResponseEntity<StreamingResponseBody> serve(ResultFile file, String rangeHeader, String ifRange) {
        long size = file.size();
        String etag = "\"" + file.sha256() + "\"";
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType(file.contentType()));
        headers.setContentDisposition(ContentDisposition.attachment().filename(file.filename()).build());
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        headers.setETag(etag);
        List<HttpRange> ranges = ranges(rangeHeader, ifRange, etag, size);
        if (ranges.size() != 1) {
            headers.setContentLength(size);
            return new ResponseEntity<>(body(file, 0, size), headers, HttpStatus.OK);
        }
        long first = ranges.get(0).getRangeStart(size);
        long last = ranges.get(0).getRangeEnd(size);
        if (first >= size) {
            throw new ApiProblem(ProblemKind.RANGE_NOT_SATISFIABLE, "the file has " + size + " bytes");
        }
        headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size);
        headers.setContentLength(last - first + 1);
        return new ResponseEntity<>(body(file, first, last - first + 1), headers, HttpStatus.PARTIAL_CONTENT);
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

    private StreamingResponseBody body(ResultFile file, long offset, long length) {
        return out -> {
            try (InputStream in = files.reader(file.id(), file.partSize(), offset, length)) {
                in.transferTo(out);
            }
        };
    }
}
