package dev.quarry.worker.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code store}: in one transaction, the document's chunks for this embedding version are replaced, the
 * document is marked INDEXED and the step's completion is recorded, together with the progress events not
 * committed yet and the run's {@link IngestRun#onStored} (the job's success). The cancel flag is read last,
 * inside that transaction, so a job whose cancellation was accepted never stores. A re-run of a stored
 * content and version does not store again: it only commits the job's success.
 */
final class StoreStep implements IngestStep {
    private final PgChunkStore chunks;
    private final PgCheckpoints checkpoints;
    private final String embeddingVersion;

    StoreStep(PgChunkStore chunks, PgCheckpoints checkpoints, String embeddingVersion) {
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
        List<PgChunkStore.EmbeddedChunk> rows = new ArrayList<>(run.chunks.size());
        for (int i = 0; i < run.chunks.size(); i++) {
            rows.add(new PgChunkStore.EmbeddedChunk(run.chunks.get(i), run.vectors.get(i)));
        }
        progress.reportWith(rows.size(), rows.size(), Map.of(), () -> {
            run.cancel.checkNow();
            chunks.replace(run.tenantId(), run.documentId(), run.contentSha256, embeddingVersion, rows);
            checkpoints.completed(run, name());
            checkpoints.forgetOtherContents(run);
            run.onStored.run();
        });
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
