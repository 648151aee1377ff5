package dev.quarry.worker.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.exports.Export;
import dev.quarry.exports.ExportFormat;
import dev.quarry.exports.ExportRequest;
import dev.quarry.exports.ExportScope;
import dev.quarry.exports.Exports;
import dev.quarry.exports.PgExportFiles;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.testing.Databases;
import dev.quarry.text.SectionMarks;
import dev.quarry.worker.export.ExportFixtures.Stored;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Export jobs run by the worker's JobRunr server, and every format read back by a reader that did not write
 * it: Jackson for JSON, {@code unzip} for ZIP, poppler's {@code pdfinfo}/{@code pdftotext} for PDF and
 * Python's openpyxl for XLSX. Each round trip must give back every document's text.
 */
class ExportJobIT extends WorkerContext {
    private static final String TENANT = "export-acme";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired Exports exports;
    @Autowired PgExportFiles files;
    @Autowired PgEmbeddingVersions versions;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired JobLifecycle lifecycle;

    private List<Stored> handbook;
    private Stored other;

    @BeforeEach
    void documents() {
        Databases.truncateQuarryTables(jdbc);
        String version = versions.active(TENANT).tag();
        handbook = new ArrayList<>(List.of(
                ExportFixtures.store(jdbc, TENANT, "handbook", version, "Onboarding guide",
                        "Welcome aboard. Café opening hours are 8 to 17; the Zürich office closes at 18.\n\n"
                                + "Bring your badge on the first day."),
                ExportFixtures.store(jdbc, TENANT, "handbook", version, "Travel policy",
                        "Book trains for trips under five hours. " + "Receipts go to finance within thirty days. ".repeat(900))));
        other = ExportFixtures.store(jdbc, TENANT, "minutes", version, "Board minutes", "The board approved the budget.");
        ExportFixtures.store(jdbc, "another-tenant", "handbook", version, "Foreign", "Never exported for acme.");
    }

    @Test
    void the_heading_marks_of_a_stored_text_are_not_exported() throws Exception {
        String version = versions.active(TENANT).tag();
        Stored guide = ExportFixtures.store(jdbc, TENANT, "guides", version, "Field guide",
                SectionMarks.mark(1) + "Field Guide\n\n" + SectionMarks.mark(2) + "Install\n\nRead this first.");

        JsonNode root = JSON.readTree(exportFile(ExportScope.collection("guides"), ExportFormat.JSON, false).toFile());

        assertThat(find(root.path("documents"), guide.id()).path("text").asText())
                .isEqualTo("Field Guide\n\nInstall\n\nRead this first.");
    }

    @Test
    void json_holds_metadata_texts_chunks_and_requested_vectors() throws Exception {
        Path file = exportFile(ExportScope.collection("handbook"), ExportFormat.JSON, true);

        JsonNode root = JSON.readTree(file.toFile());
        assertThat(root.path("documentCount").asInt()).isEqualTo(2);
        assertThat(root.path("export").path("scope").path("collection").asText()).isEqualTo("handbook");
        for (Stored stored : handbook) {
            JsonNode document = find(root.path("documents"), stored.id());
            assertThat(document.path("text").asText()).isEqualTo(stored.text());
            assertThat(document.path("title").asText()).isEqualTo(stored.title());
            assertThat(document.path("tags")).extracting(JsonNode::asText).containsExactly("manual", "export");
            assertThat(document.path("chunks")).hasSize(stored.chunks());
            assertThat(document.path("chunks").get(0).path("vector")).hasSize(384);
        }
    }

    @Test
    void json_leaves_vectors_out_unless_asked() throws Exception {
        JsonNode root = JSON.readTree(exportFile(ExportScope.documents(List.of(other.id())), ExportFormat.JSON, false).toFile());

        assertThat(root.path("documents")).hasSize(1);
        assertThat(root.path("documents").get(0).path("chunks").get(0).has("vector")).isFalse();
    }

    @Test
    void zip_passes_unzip_test_and_holds_originals_texts_and_a_manifest() throws Exception {
        Path file = exportFile(ExportScope.wholeTenant(), ExportFormat.ZIP, false);

        assertThat(run("unzip", "-t", file.toString())).contains("No errors detected");
        JsonNode manifest = JSON.readTree(run("unzip", "-p", file.toString(), "manifest.json"));
        assertThat(manifest.path("documentCount").asInt()).isEqualTo(3);
        for (Stored stored : all()) {
            JsonNode entry = find(manifest.path("documents"), stored.id());
            assertThat(run("unzip", "-p", file.toString(), entry.path("textFile").asText())).isEqualTo(stored.text());
            assertThat(bytes("unzip", "-p", file.toString(), entry.path("file").asText())).isEqualTo(stored.original());
        }
    }

    @Test
    void pdf_is_read_by_poppler_with_every_text() throws Exception {
        Path file = exportFile(ExportScope.wholeTenant(), ExportFormat.PDF, false);

        assertThat(run("pdfinfo", file.toString())).containsPattern("Pages:\\s+[1-9]");
        String text = ExportFixtures.folded(run("pdftotext", "-enc", "UTF-8", file.toString(), "-"));
        for (Stored stored : all()) {
            assertThat(text).contains(ExportFixtures.folded(stored.text())).contains(stored.title());
        }
    }

    @Test
    void xlsx_is_read_by_openpyxl_with_every_text() throws Exception {
        Path file = exportFile(ExportScope.wholeTenant(), ExportFormat.XLSX, false);

        String script = """
                import json, sys, openpyxl
                book = openpyxl.load_workbook(sys.argv[1])
                texts = {}
                for row in book["texts"].iter_rows(min_row=2, values_only=True):
                    texts.setdefault(row[0], []).append((row[1], row[2] or ""))
                chunks = sum(1 for _ in book["chunks"].iter_rows(min_row=2))
                print(json.dumps({"texts": {k: "".join(t for _, t in sorted(v)) for k, v in texts.items()},
                                  "documents": sum(1 for _ in book["documents"].iter_rows(min_row=2)), "chunks": chunks}))
                """;
        JsonNode read = JSON.readTree(run("/usr/bin/python3", "-c", script, file.toString()));
        assertThat(read.path("documents").asInt()).isEqualTo(3);
        assertThat(read.path("chunks").asInt()).isEqualTo(all().stream().mapToInt(Stored::chunks).sum());
        for (Stored stored : all()) {
            assertThat(read.path("texts").path(stored.id().toString()).asText()).isEqualTo(stored.text());
        }
    }

    @Test
    void markdown_has_a_section_with_the_text_of_each_document() throws Exception {
        String markdown = Files.readString(exportFile(ExportScope.wholeTenant(), ExportFormat.MARKDOWN, false));

        for (Stored stored : all()) {
            assertThat(markdown).contains("## " + stored.title()).contains(stored.text());
        }
        assertThat(markdown).doesNotContain("Never exported for acme.");
    }

    @Test
    void a_bulk_export_succeeds_once_every_child_export_has() {
        List<UUID> jobs = tx.execute(s -> exports.requestBulk(List.of(
                request(ExportScope.collection("handbook"), ExportFormat.JSON, false),
                request(ExportScope.collection("minutes"), ExportFormat.MARKDOWN, false)))).stream()
                .map(dev.quarry.jobs.Job::id).toList();

        awaitStatus(jobs.get(0), "SUCCEEDED");
        assertThat(status(jobs.get(1))).isEqualTo("SUCCEEDED");
        assertThat(status(jobs.get(2))).isEqualTo("SUCCEEDED");
        assertThat(exports.find(TENANT, jobs.get(1)).orElseThrow().documents()).isEqualTo(2);
        assertThat(exports.find(TENANT, jobs.get(2)).orElseThrow().documents()).isEqualTo(1);
        assertThat(jdbc.queryForList("select type from job_events where job_id = ? order by id", String.class, jobs.get(0)))
                .startsWith("queued", "started").contains("progress").endsWith("succeeded");
    }

    @Test
    void a_cancelled_export_stops_between_documents_and_leaves_no_file() {
        // Enough documents that the export is still writing when the cancel request arrives.
        jdbc.update("""
                insert into documents (id, tenant_id, title, media_type, size_bytes, content_sha256, status)
                select gen_random_uuid(), ?, 'bulk ' || n, 'text/plain', 100, 'sha', 'INDEXED'
                from generate_series(1, 30000) n""", TENANT);
        jdbc.update("""
                insert into document_texts (document_id, content_sha256, text)
                select id, 'sha', repeat('filler text for a long export ', 40) from documents where title like 'bulk %'""");
        UUID id = tx.execute(s -> exports.request(request(ExportScope.wholeTenant(), ExportFormat.XLSX, false))).id();
        awaitStatus(id, "RUNNING");

        lifecycle.requestCancel(id, TENANT, JobEventData.CancelRequested.BY_CLIENT);

        awaitStatus(id, "CANCELLED");
        assertThat(jdbc.queryForObject("select count(*) from export_parts where export_id = ?", Integer.class, id)).isZero();
        assertThat(exports.find(TENANT, id).orElseThrow().complete()).isFalse();
        assertThat(jdbc.queryForList("select type from job_events where job_id = ? order by id", String.class, id))
                .endsWith("cancel_requested", "cancelled");
    }

    private List<Stored> all() {
        List<Stored> all = new ArrayList<>(handbook);
        all.add(other);
        return all;
    }

    private ExportRequest request(ExportScope scope, ExportFormat format, boolean vectors) {
        return new ExportRequest(TENANT, scope, format, vectors, "user-1", "key-" + UUID.randomUUID(), null);
    }

    private Path exportFile(ExportScope scope, ExportFormat format, boolean vectors) throws Exception {
        UUID id = tx.execute(s -> exports.request(request(scope, format, vectors))).id();
        awaitStatus(id, "SUCCEEDED");
        Export export = exports.find(TENANT, id).orElseThrow();
        assertThat(export.filename()).endsWith("." + format.extension());
        Path file = Files.createTempFile("export-", "." + format.extension());
        try (InputStream in = files.reader(id, export.partSize(), 0, export.sizeBytes())) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.size(file)).isEqualTo(export.sizeBytes());
        return file;
    }

    private void awaitStatus(UUID id, String expected) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(status(id)).as(errorOf(id)).isEqualTo(expected));
    }

    private String status(UUID id) {
        return jdbc.queryForObject("select status from jobs where id = ?", String.class, id);
    }

    private String errorOf(UUID id) {
        return String.valueOf(jdbc.queryForMap("select status, error from jobs where id = ?", id));
    }

    private static JsonNode find(JsonNode documents, UUID id) {
        for (JsonNode document : documents) if (document.path("id").asText().equals(id.toString())) return document;
        throw new AssertionError("no document " + id + " in " + documents);
    }

    private static String run(String... command) throws Exception {
        return new String(bytes(command), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }

}
