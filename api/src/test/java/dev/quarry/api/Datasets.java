package dev.quarry.api;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where tests find the shared datasets: QUARRY_DATASETS, else ../../shared/datasets beside the checkout. */
public final class Datasets {
    private Datasets() {
    }

    public static Path cranfield() {
        String configured = System.getenv("QUARRY_DATASETS");
        Path root = configured == null || configured.isBlank() ? Path.of("../../shared/datasets") : Path.of(configured);
        Path cranfield = root.resolve("cranfield");
        assertThat(Files.isDirectory(cranfield)).as("Cranfield at %s (set QUARRY_DATASETS)", cranfield.toAbsolutePath())
                .isTrue();
        return cranfield;
    }
}
