package dev.quarry.api.jobs;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.PageCursor;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobQueue;
import dev.quarry.jobs.PgJobStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/jobs")
class JobsController {
    private static final int MAX_PAGE = 100;
    private final PgJobStore jobs;
    private final JobEventStreams streams;
    private final JobCancellation cancellation;
    private final PgJobQueue queue;
    private final PgDocumentStore documents;

    JobsController(PgJobStore jobs, JobEventStreams streams, JobCancellation cancellation, PgJobQueue queue,
                   PgDocumentStore documents) {
        this.documents = documents;
        this.jobs = jobs;
        this.streams = streams;
        this.cancellation = cancellation;
        this.queue = queue;
    }

    @Operation(summary = "Cancel a job: at once if it has not started, within about 2 s if it is running",
            description = "Answers 202 with the job (CANCELLED, or CANCEL_REQUESTED until the worker stops it; "
                    + "the event stream then ends with 'cancelled'). A finished job answers 409 job-finished.")
    @PostMapping("/{id}/cancel")
    ResponseEntity<JobView> cancel(Caller caller, @PathVariable UUID id) {
        find(caller, id);
        return ResponseEntity.accepted().body(JobView.of(cancellation.cancel(caller.tenant(), id)));
    }

    @Operation(summary = "The tenant's jobs, newest first, with cursor pagination",
            description = "Every family (ingest, export, reindex...); 'status' keeps one status (QUEUED, RUNNING, "
                    + "SUCCEEDED, DEAD_LETTERED...). No queue position here: GET /api/v1/jobs/{id} has it.")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    JobPage list(Caller caller,
                 @Parameter(description = "only jobs in this status") @RequestParam(required = false) String status,
                 @RequestParam(required = false) String cursor,
                 @RequestParam(defaultValue = "20") int limit) {
        int size = PageCursor.limit(limit, MAX_PAGE);
        PageCursor after = PageCursor.decode(cursor);
        List<Job> rows = jobs.newestFirst(caller.tenant(), status(status), after == null ? null : after.createdAt(),
                after == null ? null : after.id(), size + 1);
        Set<UUID> hidden = documents.hiddenFrom(caller.tenant(), caller.documentViewer(),
                rows.stream().map(Job::documentId).filter(Objects::nonNull).toList());
        return JobPage.of(rows, size, job -> !hidden.contains(job.documentId()));
    }

    @Operation(summary = "A job's status, progress, attempts, error and timestamps",
            description = "While the job is QUEUED, 'queue' holds its position (1: next to start) and an "
                    + "estimated start time (null while there is nothing to estimate from).")
    @GetMapping("/{id}")
    JobView get(Caller caller, @PathVariable UUID id) {
        Job job = find(caller, id);
        return JobView.of(job, queue.positionOf(job.id()).orElse(null));
    }

    @Operation(summary = "The job's events as Server-Sent Events; reconnect with Last-Event-ID to resume",
            description = "Each event's id is its job_events id and its name its type (queued, started, "
                    + "progress, retrying, succeeded, failed, cancelled...). The stream closes after a terminal event. "
                    + "While the job is QUEUED, 'queue_position' events (no id: they are not replayed) carry its "
                    + "position and estimated start whenever the position changes, at most one a second.")
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(Caller caller, @PathVariable UUID id,
                      @Parameter(description = "resume after this event id (set by EventSource on reconnect)")
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                      @Parameter(description = "resume after this event id, for clients that cannot set headers")
                      @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
                      HttpServletResponse response) {
        long lastEventId = lastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        Job job = find(caller, id);
        // nginx and similar proxies would otherwise buffer the stream and deliver it in bursts.
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        return streams.open(job, lastEventId);
    }

    private Job find(Caller caller, UUID id) {
        // Another tenant's job, or the job of another user's private document, is indistinguishable from a missing one.
        return jobs.find(caller.tenant(), id)
                .filter(job -> job.documentId() == null || documents.hiddenFrom(caller.tenant(),
                        caller.documentViewer(), List.of(job.documentId())).isEmpty())
                .orElseThrow(() -> ApiProblem.notFound("job", id));
    }

    private static JobStatus status(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return JobStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "status must be one of "
                    + Arrays.toString(JobStatus.values()));
        }
    }

    private static long lastEventId(String value) {
        if (value == null || value.isBlank()) return 0;
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0) return id;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiProblem(ProblemKind.INVALID_PARAMETER,
                "Last-Event-ID must be an event id (a non-negative integer)");
    }
}
