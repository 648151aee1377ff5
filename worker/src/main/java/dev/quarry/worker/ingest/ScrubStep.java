package dev.quarry.worker.ingest;

import java.util.Map;

/** {@code scrub}: personal data replaced by placeholders; the event carries the counts, never the values. */
final class ScrubStep implements IngestStep {
    private final PiiScrubber scrubber;

    ScrubStep(PiiScrubber scrubber) {
        this.scrubber = scrubber;
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
        progress.report(1, 1, Map.of("scrubbed", scrubbed.counts()));
    }
}
