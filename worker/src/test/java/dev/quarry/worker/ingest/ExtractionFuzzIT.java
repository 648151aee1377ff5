package dev.quarry.worker.ingest;

import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SampleFiles.Sample;
import org.apache.tika.parser.AutoDetectParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated real files (bit flips, truncations, repeated stretches) through Tika's detection and extraction
 * for a bounded time. Every outcome must be text or an {@link UnprocessableDocumentException}: anything
 * else thrown (a runtime exception, a StackOverflowError, an OutOfMemoryError) is a crash the worker would
 * turn into retries instead of a dead letter with its reason.
 */
class ExtractionFuzzIT {
    private static final Duration BUDGET = Duration.ofSeconds(20);

    @Test
    void mutated_samples_never_crash_detection_or_extraction() {
        TikaTextExtractor extractor = new TikaTextExtractor(new AutoDetectParser(),
                new ExtractionLimits(4_000_000, Duration.ofSeconds(10), 10_000));
        List<Sample> seeds = seeds();
        Random random = new Random(15);
        List<String> crashes = new ArrayList<>();
        int runs = 0;
        long end = System.nanoTime() + BUDGET.toNanos();
        while (System.nanoTime() < end) {
            Sample seed = seeds.get(random.nextInt(seeds.size()));
            byte[] mutant = mutate(seed.bytes(), random);
            // Half with the type the upload recorded, half detected by Tika from the bytes alone.
            String type = random.nextBoolean() ? seed.mediaType() : null;
            try {
                extractor.extract(mutant, type, null);
            } catch (UnprocessableDocumentException expected) {
                // a clear permanent failure is a correct outcome for a broken file
            } catch (Throwable crash) {
                crashes.add(seed.filename() + ": " + crash);
            }
            runs++;
        }

        assertThat(runs).isGreaterThan(seeds.size());
        assertThat(crashes).isEmpty();
    }

    private static List<Sample> seeds() {
        return List.of(
                SampleFiles.pdf("A fuzzed page", "with two lines"),
                SampleFiles.produced("guide.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                SampleFiles.produced("stations.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                SampleFiles.produced("slides.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
                SampleFiles.produced("guide.odt", "application/vnd.oasis.opendocument.text"),
                SampleFiles.produced("guide.epub", "application/epub+zip"),
                SampleFiles.produced("guide.rtf", "application/rtf"),
                SampleFiles.produced("update.eml", "message/rfc822"),
                SampleFiles.produced("guide.html", "text/html"),
                SampleFiles.produced("catalog.xml", "application/xml"),
                SampleFiles.produced("stations.csv", "text/csv"));
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(20); i > 0; i--) bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            case 1 -> bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length));
            default -> {
                int from = random.nextInt(bytes.length);
                int length = Math.min(bytes.length - from, 1 + random.nextInt(512));
                byte[] longer = Arrays.copyOf(bytes, bytes.length + length * 8);
                for (int i = 0; i < 8; i++) System.arraycopy(bytes, from, longer, bytes.length + i * length, length);
                bytes = longer;
            }
        }
        return bytes;
    }
}
