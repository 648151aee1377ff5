package dev.quarry.worker.ingest;

import dev.quarry.chunks.NewChunk;
import dev.quarry.chunks.PgChunkStore;
import dev.quarry.documents.PgDocumentStore;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code store}: in one transaction, the document's chunks for this embedding version are replaced, the
 * document is marked INDEXED and the step's completion is recorded, together with the progress events not
 * committed yet and the run's {@link IngestRun#onStored} (the job's success). The cancel flag is read last,
 * inside that transaction, so a job whose cancellation was accepted never stores. A re-run of a stored
 * content and version does not store again: it only commits the job's success. The transaction, from its
 * begin to its commit, is a span of its own ({@code store transaction}) under the step's, so that a trace tells
 * the time in PostgreSQL apart from building the rows.
 */
final class StoreStep implements IngestStep {
    private final PgDocumentStore documents;
    private final PgChunkStore chunks;
    private final PgCheckpoints checkpoints;
    private final String embeddingVersion;
    private final Tracer tracer;

    StoreStep(PgDocumentStore documents, PgChunkStore chunks, PgCheckpoints checkpoints, String embeddingVersion,
              Tracer tracer) {
        this.tracer = tracer;
        this.documents = documents;
        this.chunks = chunks;
        this.checkpoints = checkpoints;
        this.embeddingVersion = embeddingVersion;
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        List<NewChunk> rows = new ArrayList<>(run.chunks.size());
        for (int i = 0; i < run.chunks.size(); i++) {
            Chunk chunk = run.chunks.get(i);
            rows.add(new NewChunk(chunk.ordinal(), chunk.text(), chunk.tokenCount(), chunk.sectionPath(), run.vectors.get(i)));
        }
        Span transaction = tracer.nextSpan().name("store transaction").tag("quarry.chunks", rows.size()).start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(transaction)) {
            progress.reportWith(rows.size(), rows.size(), Map.of(), () -> {
                run.cancel.checkNow();
                store(run.tenantId(), run.documentId(), run.contentSha256, rows);
                checkpoints.completed(run, name());
                checkpoints.forgetOtherContents(run);
                run.onStored.run();
            });
        } catch (RuntimeException | Error e) {
            transaction.error(e);
            throw e;
        } finally {
            transaction.end();
        }
    }

    /**
     * Marks the document INDEXED and replaces its chunks of this version. Must run in a transaction (the
     * caller's): marking the document first locks its row, so two attempts of the same job replace one after
     * the other instead of interleaving, and a deleted document is noticed before any chunk is written.
     *
     * @throws UnprocessableDocumentException if the tenant has no such document (any more), or its content is
     *                                        no longer {@code contentSha256} (replaced while this job ran; the
     *                                        ingest of the newer content stores it)
     */
    void store(String tenant, UUID documentId, String contentSha256, List<NewChunk> rows) {
        switch (documents.markIndexed(tenant, documentId, contentSha256, rows.size())) {
            case GONE -> throw new UnprocessableDocumentException("the document no longer exists");
            case CONTENT_REPLACED -> throw new UnprocessableDocumentException(
                    "the document's content was replaced while it was ingested");
            case MARKED -> chunks.replace(tenant, documentId, embeddingVersion, rows);
        }
    }

    @Override
    public boolean resume(IngestRun run) {
        return run.completedSteps.contains(name());
    }

    @Override
    public void skip(IngestRun run, StepProgress progress) {
        progress.reportWith(run.chunkCount, run.chunkCount, Map.of("skipped", true), () -> {
            run.cancel.checkNow();
            run.onStored.run();
        });
    }
}
