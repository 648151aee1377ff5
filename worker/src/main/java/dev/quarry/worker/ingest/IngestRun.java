package dev.quarry.worker.ingest;

import dev.quarry.jobs.IngestDocumentJob;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one attempt of an ingest job has produced so far. Confined to the job's thread; each step fills in
 * its part and may drop what later steps no longer need (the original bytes, the raw text).
 */
final class IngestRun {
    private final IngestDocumentJob job;
    /** The content this attempt ingests, read once at the start: every checkpoint is keyed by it. */
    String contentSha256;
    /** The content's media type, as detected at upload: tables are chunked by rows. */
    String mediaType;
    /** Steps an earlier attempt recorded as done for this content and embedding version. */
    Set<String> completedSteps = Set.of();
    String text;
    Map<String, Integer> scrubbed = Map.of();
    List<Chunk> chunks = List.of();
    /** The chunks stored (or, when the store step is resumed, already stored) for the document. */
    int chunkCount;
    List<float[]> vectors = List.of();
    /** Whether the job's cancellation was requested; checked between steps and embedding batches. */
    CancelSignal cancel = CancelSignal.NEVER;
    /**
     * What the job's owner commits in the same transaction as the stored chunks: the SUCCEEDED status
     * change, so that a document is INDEXED exactly when its job has SUCCEEDED, and one commit less.
     */
    Runnable onStored = () -> {
    };

    IngestRun(IngestDocumentJob job) {
        this.job = job;
    }

    UUID jobId() {
        return job.jobId();
    }

    UUID documentId() {
        return job.documentId();
    }

    String tenantId() {
        return job.tenantId();
    }
}
