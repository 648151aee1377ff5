package dev.quarry.worker.embedding;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.TokenCountEstimator;
import dev.quarry.embedding.Embedder;
import dev.quarry.embedding.EmbeddingCalls;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.batch.BatchItem;
import dev.quarry.embedding.batch.EmbeddingBatch;
import dev.quarry.embedding.batch.EmbeddingBatches;
import dev.quarry.exports.ExportPartWriter;
import dev.quarry.exports.PgExportFiles;
import dev.quarry.jobs.DeadLetterCause;
import dev.quarry.jobs.EmbedBatchHandler;
import dev.quarry.jobs.EmbedBatchJob;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Runs an embedding batch: the texts go through the one {@link Embedder} (the tenant's cache, the batcher shared
 * with ingest, the dimension check, usage billed to the tenant) a slice at a time, and each slice's vectors are
 * written as JSONL lines {@code {"id", "embedding", "tokens"}} into the job's result file ({@link PgExportFiles}).
 * One transaction then describes the file and marks the job SUCCEEDED, so the results are downloadable exactly
 * when the job succeeded. Every attempt starts from an empty file, so a retry after a crash never repeats a line;
 * the vectors an earlier attempt got are in the cache, so a retry costs little model time. A failure is thrown
 * to JobRunr (Quarry's retry schedule, then a dead letter); a batch whose texts are gone or whose version this
 * deployment cannot embed is dead-lettered at once. A cancel request is seen between slices and while waiting
 * for the model; the partial file is deleted.
 */
@Component
class EmbedBatchJobHandler implements EmbedBatchHandler {
    /** Texts per slice: a progress event and a cancel check each, and the vectors held in memory at once. */
    static final int SLICE = 256;
    static final String STEP = "embed";
    private static final Logger log = LoggerFactory.getLogger(EmbedBatchJobHandler.class);
    private final EmbeddingBatches batches;
    private final PgExportFiles files;
    private final EmbeddingCatalog catalog;
    private final Embedder embedder;
    private final TokenCountEstimator tokens;
    private final JobLifecycle lifecycle;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Embedder.Pace pace;

    EmbedBatchJobHandler(EmbeddingBatches batches, PgExportFiles files, EmbeddingCatalog catalog, Embedder embedder,
                         TokenCountEstimator tokens, JobLifecycle lifecycle, TransactionTemplate tx, ObjectMapper json) {
        this.batches = batches;
        this.files = files;
        this.catalog = catalog;
        this.embedder = embedder;
        this.tokens = tokens;
        this.lifecycle = lifecycle;
        this.tx = tx;
        this.json = json;
        // Requests of 32 texts, as ingest's, so that a batch's requests interleave with uploads' at the batcher.
        this.pace = new Embedder.Pace(32, Duration.ofMinutes(10), Duration.ofMillis(200));
    }

    /** Thrown out of the embedder's observer when the batch's cancellation was requested. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancel requested", null, false, false);
        }
    }

    @Override
    public void run(EmbedBatchJob job) throws IOException {
        EmbeddingBatch batch = batches.find(job.tenantId(), job.jobId()).orElse(null);
        if (batch == null) {
            log.warn("embedding batch job {} has no batch row; nothing to embed", job.jobId());
            return;
        }
        try {
            lifecycle.start(job.jobId(), job.tenantId(), JobEventData.Started.NOTHING);
        } catch (IllegalTransitionException e) {
            log.info("embedding batch {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        List<BatchItem> items = batches.items(batch.id()).orElse(null);
        EmbeddingVersion version = catalog.find(batch.embeddingVersion()).orElse(null);
        if (items == null || version == null) {
            String why = items == null ? "the batch's texts expired before it ran"
                    : "this deployment cannot embed " + batch.embeddingVersion() + " any more";
            lifecycle.deadLetter(batch.id(), batch.tenantId(), new DeadLetterCause(IllegalStateException.class.getName(),
                    why, IllegalStateException.class.getName(), DeadLetterCause.Classification.PERMANENT, 1));
            return;
        }
        try {
            write(batch, items, version);
        } catch (Cancelled e) {
            files.delete(batch.id());
            lifecycle.cancel(batch.id(), batch.tenantId(), JobEventData.Cancelled.because("cancel requested"));
        } catch (IOException | RuntimeException e) {
            log.warn("embedding batch {} failed, retried on Quarry's schedule: {}", batch.id(), e.toString());
            throw e;
        }
    }

    private void write(EmbeddingBatch batch, List<BatchItem> items, EmbeddingVersion version) throws IOException {
        files.delete(batch.id()); // what an earlier attempt left
        ExportPartWriter file = files.writer(batch.id(), batch.partSize());
        long tokenTotal = 0;
        try (OutputStream out = new BufferedOutputStream(file, 1 << 16);
             JsonGenerator lines = json.getFactory().createGenerator(out)) {
            lines.setRootValueSeparator(null);
            for (int from = 0; from < items.size(); from += SLICE) {
                List<BatchItem> slice = items.subList(from, Math.min(items.size(), from + SLICE));
                List<Embedder.Text> texts = slice.stream()
                        .map(item -> new Embedder.Text(item.text(), tokens.estimateTokenCountInText(item.text()))).toList();
                List<float[]> vectors = embed(batch, version, texts, from, items.size());
                for (int i = 0; i < slice.size(); i++) {
                    writeLine(lines, slice.get(i).id(), vectors.get(i), texts.get(i).tokenCount());
                    tokenTotal += texts.get(i).tokenCount();
                }
                lines.flush();
            }
        }
        PgExportFiles.Written result = file.written();
        long billed = tokenTotal;
        tx.executeWithoutResult(status -> {
            batches.complete(batch.id(), result, billed);
            lifecycle.progress(batch.id(), batch.tenantId(),
                    new JobEventData.Progress(STEP, items.size(), items.size()));
            lifecycle.succeed(batch.id(), batch.tenantId(), JobEventData.Succeeded.NOTHING);
        });
        log.info("embedding batch {} embedded {} texts, {} bytes", batch.id(), items.size(), result.size());
    }

    private List<float[]> embed(EmbeddingBatch batch, EmbeddingVersion version, List<Embedder.Text> texts,
                                int before, int total) {
        Embedder.Observer observer = new Embedder.Observer() {
            @Override
            public void progress(int done, int sliceTotal, int cached) {
                lifecycle.progress(batch.id(), batch.tenantId(), new JobEventData.Progress(STEP, before + done, total));
            }

            @Override
            public void check() {
                if (lifecycle.cancelRequested(batch.id())) throw new Cancelled();
            }
        };
        observer.check();
        try {
            return embedder.embed(batch.tenantId(), version, EmbeddingCalls.Caller.BATCH, texts, pace, observer);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("embedding a slice of the batch took longer than " + pace.timeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
    }

    private static void writeLine(JsonGenerator lines, String id, float[] vector, int tokenCount) throws IOException {
        lines.writeStartObject();
        lines.writeStringField("id", id);
        lines.writeArrayFieldStart("embedding");
        for (float v : vector) lines.writeNumber(v);
        lines.writeEndArray();
        lines.writeNumberField("tokens", tokenCount);
        lines.writeEndObject();
        lines.writeRaw('\n');
    }
}
