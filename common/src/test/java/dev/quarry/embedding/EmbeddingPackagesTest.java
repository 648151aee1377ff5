package dev.quarry.embedding;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dev.quarry.embedding} depends on its sub-packages ({@code openai}, {@code usage}), never the other
 * way round: a sub-package that named its parent would make a package cycle again.
 */
class EmbeddingPackagesTest {
    /** A type of the parent package: its name starts with a capital right after {@code dev.quarry.embedding.}. */
    private static final Pattern PARENT = Pattern.compile("dev\\.quarry\\.embedding\\.([A-Z]|\\*)");
    private static final Path ROOT = Path.of("src/main/java/dev/quarry/embedding");

    @Test
    void no_sub_package_names_a_type_of_the_parent_package() throws IOException {
        List<Path> subPackageSources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            subPackageSources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getParent().equals(ROOT)).toList();
        }
        assertThat(subPackageSources).as("sources of the sub-packages").isNotEmpty();
        assertThat(subPackageSources).allSatisfy(f -> assertThat(PARENT.matcher(Files.readString(f)).find())
                .as("%s names a type of dev.quarry.embedding", f).isFalse());
    }
}
