package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GDPR access over real HTTP with a real worker process: the subject's documents (and only theirs) come back
 * as a ZIP through the export job, an unknown subject gets an empty export, bad requests change nothing, and
 * the call is audited without the subject's name.
 */
class SubjectAccessIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("subject-access");
    private final String tenant = "access-" + UUID.randomUUID();
    private final String admin = TestTokens.forTenant(tenant, "admin");
    private final String subject = "person-" + UUID.randomUUID();

    @Test
    void the_subjects_documents_and_only_theirs_come_back_as_a_zip() throws IOException {
        String subjectToken = TestTokens.mint(TestTokens.SECRET, subject, tenant, List.of(),
                Instant.now().plus(Duration.ofHours(1)));
        String theirs = ingested(subjectToken, "letter.txt", "Dear committee, I request my records.");
        String someoneElses = ingested(admin, "memo.txt", "An unrelated memo from the administrator.");

        HttpResponse<String> accepted = request(admin, "access-1", "{\"subject\":\"" + subject + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).path("exportId").asText();
        assertThat(json(accepted).path("file").asText()).isEqualTo("/api/v1/exports/" + id + "/file");
        assertThat(json(request(admin, "access-1", "{\"subject\":\"" + subject + "\"}")).path("exportId").asText())
                .isEqualTo(id);

        byte[] zip = finishedFile(id);
        List<String> entries = zipEntries(zip);
        assertThat(entries).contains("manifest.json", "audit.json", "texts/" + theirs + ".txt")
                .anySatisfy(name -> assertThat(name).startsWith("files/" + theirs + "/"))
                .noneMatch(name -> name.contains(someoneElses));
        JsonNode audit = JSON.readTree(zipEntry(zip, "audit.json"));
        assertThat(audit).as("the subject's own actions, and no one else's").isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.path("actor").asText()).isEqualTo(subject))
                .anySatisfy(entry -> assertThat(entry.path("action").asText()).isEqualTo("POST /api/v1/documents"));
        assertThat(jdbc.queryForObject("""
                select count(*) from audit_entries where tenant_id = ? and action = 'POST /api/v1/admin/subject-access'
                and outcome = 'succeeded 202'""", Integer.class, tenant)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_entries where tenant_id = ? "
                + "and (target like ? or outcome like ?)", Integer.class, tenant, "%" + subject + "%", "%" + subject + "%"))
                .isZero();
    }

    @Test
    void an_unknown_subject_gets_an_empty_export() throws IOException {
        HttpResponse<String> accepted = request(admin, "access-unknown", "{\"subject\":\"nobody-" + UUID.randomUUID() + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        List<String> entries = zipEntries(finishedFile(json(accepted).path("exportId").asText()));

        assertThat(entries).containsExactly("audit.json", "manifest.json");
    }

    @Test
    void bad_requests_are_problems_that_store_nothing() {
        int before = exports();

        assertProblem(request(admin, "bad-1", "{}"), 400, "invalid-parameter");
        assertProblem(request(admin, null, "{\"subject\":\"" + subject + "\"}"), 400, "missing-idempotency-key");
        assertProblem(request(admin, "bad-2", "{\"subject\":\"" + subject + "\",\"tenant\":\"another\"}"), 403, "forbidden");
        assertProblem(request(TestTokens.forTenant("ops", "operator"), "bad-3", "{\"subject\":\"" + subject + "\"}"),
                400, "invalid-parameter");
        assertProblem(request(TestTokens.forTenant(tenant), "bad-4", "{\"subject\":\"" + subject + "\"}"), 403, "forbidden");

        assertThat(exports()).isEqualTo(before);
    }

    private int exports() {
        return jdbc.queryForObject("select count(*) from exports where tenant_id = ?", Integer.class, tenant);
    }

    private byte[] finishedFile(String id) throws IOException {
        await().atMost(Duration.ofMinutes(2)).until(() ->
                json(get("/api/v1/exports/" + id, admin)).path("status").asText().equals("SUCCEEDED"));
        HttpResponse<byte[]> file;
        try {
            file = http.send(request("/api/v1/exports/" + id + "/file", admin).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(file.statusCode()).isEqualTo(200);
        return file.body();
    }

    private static List<String> zipEntries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) names.add(entry.getName());
        }
        return names;
    }

    private static byte[] zipEntry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) return in.readAllBytes();
            }
        }
        throw new AssertionError("no " + name + " in the ZIP");
    }

    private String ingested(String token, String filename, String text) {
        JsonNode accepted = json(uploadText(token, filename, text));
        String job = accepted.path("jobId").asText();
        await().atMost(Duration.ofMinutes(2)).until(() ->
                json(get("/api/v1/jobs/" + job, token)).path("status").asText().equals("SUCCEEDED"));
        return accepted.path("documentId").asText();
    }

    private HttpResponse<String> request(String token, String key, String body) {
        HttpRequest.Builder builder = request("/api/v1/admin/subject-access", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }
}
