package dev.quarry.worker.ingest;

/** {@code normalize}: canonical Unicode and whitespace (see {@link TextNormalizer}). */
final class NormalizeStep implements IngestStep {
    private final TextNormalizer normalizer;

    NormalizeStep(TextNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    @Override
    public String name() {
        return "normalize";
    }

    @Override
    public void run(IngestRun run, StepProgress progress) {
        run.text = normalizer.normalize(run.text);
        if (run.text.isBlank()) throw new UnprocessableDocumentException("no text found in the document");
        progress.report(1, 1);
    }
}
