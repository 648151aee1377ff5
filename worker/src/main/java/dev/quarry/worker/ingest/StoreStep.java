package dev.quarry.worker.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code store}: in one transaction, the document's chunks for this embedding version are replaced and the
 * document is marked INDEXED, together with the progress events not committed yet and the run's
 * {@link IngestRun#onStored} (the job's success). A re-run replaces again; the unique (document, version,
 * ordinal) constraint makes duplicates impossible.
 */
final class StoreStep implements IngestStep {
    private final PgChunkStore chunks;
    private final String embeddingVersion;

    StoreStep(PgChunkStore chunks, String embeddingVersion) {
        this.chunks = chunks;
        this.embeddingVersion = embeddingVersion;
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        List<PgChunkStore.EmbeddedChunk> rows = new ArrayList<>(run.chunks.size());
        for (int i = 0; i < run.chunks.size(); i++) {
            rows.add(new PgChunkStore.EmbeddedChunk(run.chunks.get(i), run.vectors.get(i)));
        }
        progress.reportWith(rows.size(), rows.size(), () -> {
            chunks.replace(run.tenantId(), run.documentId(), embeddingVersion, rows);
            run.onStored.run();
        });
    }
}
