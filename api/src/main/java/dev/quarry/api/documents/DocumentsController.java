package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.quarry.api.idempotency.IdempotencyKeyHeader;
import dev.quarry.api.jobs.RequestedPriority;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.PageCursor;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.api.web.TraceContext;
import dev.quarry.documents.DocumentView;
import dev.quarry.documents.NewContent;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.jobs.JobPriority;
import dev.quarry.jobs.JobType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

@RestController
@RequestMapping(DocumentIntake.PATH)
class DocumentsController {
    private static final int MAX_PAGE = 100;
    private static final String PRIORITY = "0 to 100, higher first; a user may lower its jobs' priority below the "
            + "default (an upload 80, a bulk re-ingest 60), only a tenant admin or an operator may raise it";
    private final DocumentIntake intake;
    private final DocumentReingest reingest;
    private final BulkReingest bulkReingest;
    private final PgDocumentStore documents;
    private final TikaMediaTypeDetector detector;
    private final ObjectReader metadataReader;
    private final ObjectMapper json;

    DocumentsController(DocumentIntake intake, DocumentReingest reingest, BulkReingest bulkReingest,
                        PgDocumentStore documents, TikaMediaTypeDetector detector, ObjectMapper json) {
        this.intake = intake;
        this.reingest = reingest;
        this.bulkReingest = bulkReingest;
        this.json = json;
        this.documents = documents;
        this.detector = detector;
        this.metadataReader = DocumentMetadata.reader(json);
    }

    @Operation(summary = "Upload a document for ingestion",
            description = "The media type is detected from the content. Accepted: plain text, Markdown, CSV, "
                    + "JSON, HTML, source code, PDF, DOCX; at most 50 MB. Requires Idempotency-Key.")
    @ApiResponse(responseCode = "202", description = "accepted; Location points at the job",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = DocumentIntake.Accepted.class)))
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> upload(
            Caller caller,
            @Parameter(description = "unique per logical request; a retry with the same key is answered with the "
                    + "first response") @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
            @RequestPart(name = "file", required = false) MultipartFile file,
            @Parameter(description = "JSON: {title, collection, source, tags[], reliability, publishedAt, visibility}; "
                    + "visibility: shared (the default, every user of the tenant sees it) or private (its uploader, "
                    + "the tenant's admins and operators)",
                    schema = @Schema(implementation = DocumentMetadata.class))
            @RequestPart(name = "metadata", required = false) Part metadata,
            @Parameter(description = PRIORITY) @RequestParam(required = false) Integer priority,
            HttpServletRequest request) throws IOException {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        int granted = RequestedPriority.resolve(caller, priority, JobType.INGEST.defaultPriority());
        NewContent content = validated(file);
        byte[] rawMetadata = metadata == null ? null : read(metadata);
        DocumentMetadata parsed = DocumentMetadata.parse(rawMetadata, metadataReader);
        return intake.accept(new DocumentIntake.Upload(caller.tenant(), caller.subject(), idempotencyKey,
                TraceContext.of(request).traceParent(), content.bytes(), content.filename(), content.mediaType(),
                rawMetadata, parsed, priority, granted));
    }

    @Operation(summary = "Ingest a document again",
            description = "Queues an ingest of the stored content. An unchanged content already stored for the "
                    + "current embedding version finishes at once, without embedding. Requires Idempotency-Key; "
                    + "409 while an ingest of the document has not finished.")
    @ApiResponse(responseCode = "202", description = "accepted; Location points at the job",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = DocumentIntake.Accepted.class)))
    @PostMapping(path = "/{id}/reingest", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> reingest(
            Caller caller, @PathVariable UUID id,
            @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
            HttpServletRequest request) {
        return reingest.reingest(caller, IdempotencyKeyHeader.require(key),
                TraceContext.of(request).traceParent(), id);
    }

    @Operation(summary = "Ingest a set of documents again (re-sync a collection)",
            description = "JSON body {collection, documentIds[]} (at least one; a document must meet each given; "
                    + "at most 1000 ids). Documents already indexed for their content and the current embedding "
                    + "version need no job and are counted as unchanged; those with an ingest in progress are "
                    + "skipped; the others are queued, as many as the queue limit admits (the rest: deferred). "
                    + "Requires Idempotency-Key.")
    @ApiResponse(responseCode = "202", description = "summary of what was matched, queued, unchanged, skipped",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = BulkReingest.Summary.class)))
    @PostMapping(path = "/reingest", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> reingestAll(
            Caller caller,
            @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
            @RequestBody(required = false) String body,
            @Parameter(description = PRIORITY) @RequestParam(required = false) Integer priority,
            HttpServletRequest request) {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        int granted = RequestedPriority.resolve(caller, priority, JobPriority.BULK_INGEST);
        return bulkReingest.reingest(caller, idempotencyKey, TraceContext.of(request).traceParent(),
                ReingestFilter.parse(body, json), priority, granted);
    }

    @Operation(summary = "Replace a document's content and ingest it",
            description = "Multipart 'file', validated like an upload. Only the chunks whose text changed are "
                    + "embedded; the previous chunks stay searchable until the new ones are stored. Requires "
                    + "Idempotency-Key; 409 while an ingest of the document has not finished.")
    @ApiResponse(responseCode = "202", description = "accepted; Location points at the job",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = DocumentIntake.Accepted.class)))
    @PutMapping(path = "/{id}/content", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> replaceContent(
            Caller caller, @PathVariable UUID id,
            @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
            @RequestPart(name = "file", required = false) MultipartFile file,
            HttpServletRequest request) throws IOException {
        String idempotencyKey = IdempotencyKeyHeader.require(key);
        return reingest.replaceContent(caller, idempotencyKey, TraceContext.of(request).traceParent(), id,
                validated(file));
    }

    private NewContent validated(MultipartFile file) throws IOException {
        if (file == null) {
            throw new ApiProblem(ProblemKind.MISSING_FILE, "the multipart request has no 'file' part");
        }
        if (file.isEmpty()) {
            throw new ApiProblem(ProblemKind.EMPTY_FILE, "the uploaded file is empty");
        }
        byte[] content = file.getBytes();
        String filename = filename(file.getOriginalFilename());
        return new NewContent(content, DocumentIntake.sha256(content), detector.detect(content, filename), filename);
    }

    @Operation(summary = "Documents, newest first, with cursor pagination",
            description = "A user sees the tenant's shared documents and their own private ones; a tenant admin or an "
                    + "operator every document of the tenant.")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    DocumentPage list(Caller caller,
                      @Parameter(description = "nextCursor of the previous page")
                      @RequestParam(required = false) String cursor,
                      @RequestParam(defaultValue = "20") int limit) {
        PageCursor after = PageCursor.decode(cursor);
        int size = PageCursor.limit(limit, MAX_PAGE);
        // One row more than the page tells whether there is a next one.
        return DocumentPage.of(documents.newestFirst(caller.tenant(), caller.documentViewer(), after == null ? null : after.createdAt(),
                after == null ? null : after.id(), size + 1), size);
    }

    @Operation(summary = "A document's metadata and indexing status")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    DocumentView get(Caller caller, @PathVariable UUID id) {
        // Another tenant's document, or another user's private one, is indistinguishable from a missing one.
        return documents.find(caller.tenant(), id, caller.documentViewer()).orElseThrow(() -> ApiProblem.notFound("document", id));
    }

    /** Browsers may send a full client-side path; only its last segment is a name. */
    private static String filename(String original) {
        if (original == null || original.isBlank()) return null;
        String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "").strip();
        // "." and ".." name directories, never a file: keep no name rather than a path step.
        if (name.isEmpty() || name.equals(".") || name.equals("..")) return null;
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    private static byte[] read(Part part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
