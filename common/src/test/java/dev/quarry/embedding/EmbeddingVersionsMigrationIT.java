package dev.quarry.embedding;

import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V6 on a database that already holds chunks, as every deployed one does: the suite's own database is
 * migrated while empty, which hid that an index cannot be built while a loop's cursor over the table is open.
 * The migrations run in a scratch schema (pgvector's types stay reachable in public), chunks are written
 * before V6, and V6 must keep them and give their version its index.
 */
class EmbeddingVersionsMigrationIT {
    private static final String SCHEMA = "quarry_migration_it";
    private Connection db;

    @BeforeEach
    void scratchSchema() throws SQLException {
        TestServices.Endpoints e = TestServices.endpoints();
        db = DriverManager.getConnection(e.jdbcUrl(), e.user(), e.password());
        execute("drop schema if exists " + SCHEMA + " cascade");
        execute("create schema " + SCHEMA);
        execute("set search_path to " + SCHEMA + ", public");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        execute("drop schema if exists " + SCHEMA + " cascade");
        db.close();
    }

    @Test
    void existing_chunks_keep_their_version_and_get_its_index() throws Exception {
        List<Path> migrations = migrations();
        for (Path migration : migrations) if (version(migration) < 6) execute(Files.readString(migration));
        execute("""
                insert into documents (id, tenant_id, title, media_type, size_bytes, content_sha256, status)
                values ('00000000-0000-0000-0000-000000000001', 't', 'd', 'text/plain', 1, 'x', 'INDEXED');
                insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                select 't', '00000000-0000-0000-0000-000000000001', n, 'text ' || n, 2,
                       array_fill(n::real, array[384])::vector, v
                from generate_series(0, 9) n, (values ('all-minilm-l6-v2-q@1'), ('legacy-model@3')) versions(v);""");

        for (Path migration : migrations) if (version(migration) >= 6) execute(Files.readString(migration));

        assertThat(strings("select tag || ':' || dimensions from embedding_versions order by tag"))
                .containsExactly("all-minilm-l6-v2-q@1:384", "legacy-model@3:384");
        assertThat(strings("""
                select i.indexdef from embedding_versions v join pg_indexes i
                  on i.indexname = v.index_name and i.schemaname = current_schema()
                order by v.tag""")).hasSize(2).allSatisfy(def -> assertThat(def).contains("vector(384)"));
        assertThat(strings("select count(*)::text from chunks")).containsExactly("20");
        assertThat(strings("select format_type(atttypid, atttypmod) from pg_attribute "
                + "where attrelid = 'chunks'::regclass and attname = 'embedding'")).containsExactly("vector");
    }

    private static List<Path> migrations() throws IOException, URISyntaxException {
        URL folder = EmbeddingVersionsMigrationIT.class.getResource("/db/migration");
        assertThat(folder).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(EmbeddingVersionsMigrationIT::version)).toList();
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) values.add(rs.getString(1));
        }
        return values;
    }
}
