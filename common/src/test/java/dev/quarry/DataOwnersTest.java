package dev.quarry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables of documents, chunks and the embedder have one writer each: SQL that inserts into, updates,
 * deletes from, copies into or truncates one of them appears only in its owning package's main sources (test
 * fixtures may write anything). Reads are free.
 */
class DataOwnersTest {
    private static final String DOCUMENTS = "common/src/main/java/dev/quarry/documents/";
    private static final Map<String, String> OWNERS = Map.of(
            "documents", DOCUMENTS,
            "document_contents", DOCUMENTS,
            "document_texts", DOCUMENTS,
            "chunks", "common/src/main/java/dev/quarry/chunks/",
            "embedding_cache", "common/src/main/java/dev/quarry/embedding/",
            "embedding_usage", "common/src/main/java/dev/quarry/embedding/usage/");
    /** Writers outside the owner, each for a reason. */
    private static final Map<String, String> EXCEPTIONS = Map.of(
            "bench/src/main/java/dev/quarry/bench/SyntheticChunks.java",
            "bulk-loads a 100,000-chunk benchmark corpus with COPY, which the owners do not offer",
            "worker/src/main/java/dev/quarry/worker/jobs/PgDeadLetterStore.java",
            "to call PgDocumentStore.markFailed once it moves into dev.quarry.jobs (issue 8, other slice)");
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void only_the_owner_writes_each_table() throws IOException {
        assertThat(ROOT.resolve("common/pom.xml")).as("run from the common module").exists();
        List<String> strays = new ArrayList<>();
        for (Path source : mainSources()) {
            String relative = ROOT.relativize(source).toString().replace('\\', '/');
            if (EXCEPTIONS.containsKey(relative)) continue;
            String text = Files.readString(source);
            OWNERS.forEach((table, owner) -> {
                if (!relative.startsWith(owner) && writes(table).matcher(text).find()) {
                    strays.add(relative + " writes " + table + " (owner: " + owner + ")");
                }
            });
        }
        assertThat(strays).isEmpty();
    }

    @Test
    void a_write_outside_its_owner_would_be_found() {
        assertThat(writes("chunks").matcher("jdbc.update(\"delete from chunks where id = ?\")").find()).isTrue();
        assertThat(writes("documents").matcher("\"\"\"\n  update documents d set status = ?").find()).isTrue();
        assertThat(writes("documents").matcher("copy documents (id) from stdin").find()).isTrue();
        assertThat(writes("chunks").matcher("select * from chunks; update chunk_counts set").find()).isFalse();
        assertThat(writes("documents").matcher("insert into document_texts").find()).isFalse();
    }

    private static Pattern writes(String table) {
        return Pattern.compile("\\b(insert\\s+into|update|delete\\s+from|copy|truncate)\\s+" + table + "\\b",
                Pattern.CASE_INSENSITIVE);
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> ROOT.relativize(f).toString().replace('\\', '/').matches("[^/]+/src/main/java/.*"))
                    .toList();
        }
    }
}
