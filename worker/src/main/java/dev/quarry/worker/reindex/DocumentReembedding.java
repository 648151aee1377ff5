package dev.quarry.worker.reindex;

import dev.quarry.chunks.IngestedChunks;
import dev.quarry.chunks.NewChunk;
import dev.quarry.chunks.PgChunkStore;
import dev.quarry.chunks.StoredChunk;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.embedding.Embedder;
import dev.quarry.embedding.EmbeddingCalls;
import dev.quarry.embedding.EmbeddingVersion;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Writes one document's current chunks in another embedding version: the same texts, ordinals and token
 * counts, new vectors, and the ingest's time stamp (which is what makes them count as current, see
 * {@code PgEmbeddingVersions}). The vectors come from the {@link Embedder} that ingest uses, so texts cached
 * for the target version are not embedded again and the model calls are shared with running ingests.
 * Optimistic: the texts are read and embedded without a lock; the write then locks the document row (ingest's
 * store locks it too) and checks that no newer ingest landed meanwhile, else it reads again. The document's
 * chunks of the target version are replaced as a whole, so a re-run is harmless.
 */
@Component
class DocumentReembedding {
    private static final int ATTEMPTS = 3;
    private final PgDocumentStore documents;
    private final PgChunkStore chunks;
    private final Embedder embedder;
    private final TransactionTemplate tx;
    private final Embedder.Pace pace;

    DocumentReembedding(PgDocumentStore documents, PgChunkStore chunks, Embedder embedder, TransactionTemplate tx,
                        ReindexProperties properties) {
        this.documents = documents;
        this.chunks = chunks;
        this.embedder = embedder;
        this.tx = tx;
        // Nothing to check while waiting: a reindex is cancelled through its parent, between documents.
        this.pace = new Embedder.Pace(properties.batchSize(), properties.documentTimeout(), Duration.ofSeconds(1));
    }

    /** @return the chunks written (0 if the document is gone or the target is already current) */
    int reembed(String tenant, UUID documentId, EmbeddingVersion target) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            IngestedChunks source = chunks.latest(tenant, documentId, target.tag()).orElse(null);
            if (source == null || source.version().equals(target.tag())) return 0;
            List<float[]> vectors = embed(tenant, target, source.chunks());
            Integer written = tx.execute(status -> write(tenant, documentId, target, source, vectors));
            if (written != null) return written;
        }
        throw new IllegalStateException("document " + documentId + " was re-ingested " + ATTEMPTS
                + " times while it was being re-embedded");
    }

    private List<float[]> embed(String tenant, EmbeddingVersion target, List<StoredChunk> source) {
        List<Embedder.Text> texts = source.stream().map(c -> new Embedder.Text(c.text(), c.tokenCount())).toList();
        try {
            return embedder.embed(tenant, target, EmbeddingCalls.Caller.REINDEX, texts, pace, Embedder.Observer.NONE);
        } catch (ExecutionException e) {
            // The model's own failure, as a direct call would have thrown it, for the job's error message.
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("re-embedding took longer than " + pace.timeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-embedding", e);
        }
    }

    /** Null when a newer ingest landed since the source was read: the caller reads again. */
    private Integer write(String tenant, UUID documentId, EmbeddingVersion target, IngestedChunks source,
                          List<float[]> vectors) {
        if (!documents.lock(tenant, documentId)) return 0;
        OffsetDateTime latest = chunks.latestStamp(documentId).orElse(null);
        if (latest == null || !latest.isEqual(source.stamp())) return null;
        List<NewChunk> rows = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            StoredChunk chunk = source.chunks().get(i);
            rows.add(new NewChunk(chunk.ordinal(), chunk.text(), chunk.tokenCount(), chunk.sectionPath(), vectors.get(i)));
        }
        chunks.replaceCopy(tenant, documentId, target.tag(), rows, source.stamp());
        return rows.size();
    }
}
