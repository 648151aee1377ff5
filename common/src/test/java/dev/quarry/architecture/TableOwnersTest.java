package dev.quarry.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner map of docs/architecture.md ("Table owners"), checked against the code: SQL that writes a
 * table may only appear in the table's owning package, and every table the migrations create has an owner.
 */
class TableOwnersTest {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?i)create\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");

    private final Path root = Repository.root();
    private final Map<String, String> owners = owners();

    @Test
    void tables_are_written_only_by_their_owning_package() {
        List<String> violations = new ArrayList<>();
        for (String module : Repository.PRODUCTION_MODULES) {
            for (Path file : Repository.files(root.resolve(module).resolve("src/main/java"), ".java")) {
                String source = Repository.read(file);
                String pkg = packageOf(source);
                for (String table : SqlWrites.in(source, owners.keySet())) {
                    String owner = owners.get(table);
                    if (!pkg.equals(owner) && !pkg.startsWith(owner + ".")) {
                        violations.add(root.relativize(file) + " writes " + table + ", owned by " + owner);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void every_table_of_the_schema_has_an_owner() {
        Set<String> created = new TreeSet<>();
        for (Path migration : Repository.files(root.resolve("common/src/main/resources/db/migration"), ".sql")) {
            Matcher m = CREATE_TABLE.matcher(Repository.read(migration));
            while (m.find()) created.add(m.group(1).toLowerCase());
        }
        assertThat(created).isNotEmpty();
        assertThat(owners.keySet()).containsAll(created);
    }

    @Test
    void the_scanner_sees_writes_in_sql_strings_and_ignores_prose() {
        Set<String> known = Set.of("jobs", "chunks", "documents", "job_events");
        String source = """
                /** Moves the job: we update jobs set status in one place, and never delete from chunks. */
                class X {
                    // insert into documents would be wrong here
                    void a() { jdbc.sql("update jobs set status = ? where id = ?"); }
                    void b() { jdbc.sql(\"""
                            insert into job_events (job_id) values (?)
                            on conflict (id) do update set type = excluded.type\"""); }
                    void c() { copy.copyIn("COPY chunks (id, text) FROM STDIN"); }
                }
                """;
        assertThat(SqlWrites.in(source, known)).containsExactlyInAnyOrder("jobs", "job_events", "chunks");
    }

    private Map<String, String> owners() {
        Map<String, String> map = new LinkedHashMap<>();
        String doc = Repository.read(root.resolve("docs/architecture.md"));
        for (List<String> row : MarkdownTable.under(doc, "## Table owners")) map.put(row.get(0), row.get(1));
        return map;
    }

    private static String packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        return m.find() ? m.group(1) : "";
    }
}
