package dev.quarry.bench;

import dev.quarry.worker.ingest.Extraction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The extraction benchmark's files are about the size asked for, and Quarry's extractor reads their text. */
class LargeDocumentsTest {

    @ParameterizedTest
    @EnumSource(LargeDocuments.Format.class)
    void each_format_is_made_near_its_size_and_read_by_the_extractor(LargeDocuments.Format format, @TempDir Path directory)
            throws Exception {
        Path file = new LargeDocuments().write(format, 0.3, directory);

        assertThat(Files.size(file)).isBetween(200_000L, 450_000L);
        String text = Extraction.configured(64_000_000, Duration.ofMinutes(1), false, 0)
                .text(Files.readAllBytes(file), format.mediaType, file.getFileName().toString());
        assertThat(text.length()).isGreaterThan(100_000);
    }
}
