package dev.quarry.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the retrieval datasets: {@code QUARRY_DATASETS} if set, else the repository's own
 * {@code datasets/} folder, found upwards from the working directory (a module's folder under Maven), so a
 * fresh clone needs nothing beside it.
 */
public final class Datasets {
    private Datasets() {
    }

    public static Path cranfield() {
        Path cranfield = root().resolve("cranfield");
        if (!Files.isRegularFile(cranfield.resolve("cran.all.1400"))) {
            throw new IllegalStateException("no Cranfield collection at " + cranfield.toAbsolutePath()
                    + " (it is committed in datasets/cranfield; QUARRY_DATASETS overrides the folder)");
        }
        return cranfield;
    }

    static Path root() {
        String configured = System.getenv("QUARRY_DATASETS");
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("datasets")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("datasets");
            }
        }
        throw new IllegalStateException("no datasets/ folder above " + Path.of("").toAbsolutePath());
    }
}
