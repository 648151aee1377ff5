package dev.quarry.worker.ingest;

import dev.quarry.documents.PgDocumentTexts;

import java.util.Map;

/**
 * {@code scrub}: personal data replaced by placeholders; the event carries the counts, never the values.
 * The scrubbed text is the step's checkpoint: it is stored with the step's completion record, so that an
 * attempt after a crash (or a cancel, or a failed embedding) starts from it instead of extracting again.
 */
final class ScrubStep implements IngestStep {
    private final PiiScrubber scrubber;
    private final PgCheckpoints checkpoints;
    private final PgDocumentTexts texts;

    ScrubStep(PiiScrubber scrubber, PgCheckpoints checkpoints, PgDocumentTexts texts) {
        this.scrubber = scrubber;
        this.checkpoints = checkpoints;
        this.texts = texts;
    }

    @Override
    public String name() {
        return "scrub";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        PiiScrubber.Scrubbed scrubbed = scrubber.scrub(run.text);
        run.text = scrubbed.text();
        run.scrubbed = scrubbed.counts();
        progress.reportWith(1, 1, Map.of("scrubbed", scrubbed.counts()), () -> {
            texts.save(run.documentId(), run.contentSha256, scrubbed.text());
            checkpoints.completed(run, name());
        });
    }

    @Override
    public boolean resume(IngestRun run) {
        if (!run.completedSteps.contains(name())) return false;
        run.text = texts.find(run.documentId(), run.contentSha256).orElse(null);
        return run.text != null;
    }
}
