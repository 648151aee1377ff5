package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.quarry.testing.SampleFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class DocumentUploadIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");

    @Test
    void an_upload_is_stored_and_its_job_queued_and_handed_to_jobrunr() throws Exception {
        byte[] content = utf8("Quarry keeps every accepted document safe.");

        HttpResponse<String> response = upload(token, "key-1", new MultipartBody()
                .file("file", "safe.txt", "application/octet-stream", content)
                .json("metadata", """
                        {"title": "Safety", "collection": "manuals", "source": "https://example.org/safe",
                         "tags": ["durability", "docs"], "reliability": "official"}"""));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = json(response);
        UUID documentId = UUID.fromString(body.path("documentId").asText());
        UUID jobId = UUID.fromString(body.path("jobId").asText());
        assertThat(body.path("status").asText()).isEqualTo("QUEUED");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);

        Map<String, Object> document = jdbc.queryForMap("select * from documents where id = ?", documentId);
        assertThat(document).containsEntry("tenant_id", "acme").containsEntry("title", "Safety")
                .containsEntry("collection", "manuals").containsEntry("source", "https://example.org/safe")
                .containsEntry("reliability", "official").containsEntry("media_type", "text/plain")
                .containsEntry("filename", "safe.txt").containsEntry("size_bytes", (long) content.length)
                .containsEntry("content_sha256",
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
                .containsEntry("status", "PENDING").containsEntry("uploaded_by", "user-acme");
        assertThat(jdbc.queryForList("select unnest(tags) from documents where id = ?", String.class, documentId))
                .containsExactly("durability", "docs");
        assertThat(jdbc.queryForObject("select bytes from document_contents where document_id = ?", byte[].class,
                documentId)).isEqualTo(content);

        Map<String, Object> job = jdbc.queryForMap("select * from jobs where id = ?", jobId);
        assertThat(job).containsEntry("tenant_id", "acme").containsEntry("type", "INGEST")
                .containsEntry("status", "QUEUED").containsEntry("document_id", documentId)
                .containsEntry("idempotency_key", "key-1");
        assertThat((String) job.get("trace_parent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        // Released to JobRunr by the release its commit asked for (the queue is empty, so at once).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select enqueued_at is not null from jobs where id = ?", Boolean.class, jobId)).isTrue());
        assertThat(jdbc.queryForObject("select count(*) from jobrunr_jobs where id = ?", Integer.class, jobId.toString()))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select state from idempotency_keys where tenant_id = 'acme' and key = 'key-1'",
                String.class)).isEqualTo("COMPLETED");
    }

    @Test
    void the_incoming_trace_is_saved_with_the_job_under_the_apis_own_span() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        MultipartBody body = new MultipartBody().file("file", "a.txt", "text/plain", utf8("traced"));

        HttpResponse<String> response = send(request("/api/v1/documents", token)
                .header("Content-Type", body.contentType()).header("Idempotency-Key", "traced")
                .header("traceparent", traceparent)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Trace-Id")).hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
        // The same trace; the parent of the job's runs is the API's span for this request, not the caller's.
        assertThat(jdbc.queryForObject("select trace_parent from jobs", String.class))
                .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .isNotEqualTo(traceparent);
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                arguments("notes.txt", utf8("plain words"), "text/plain"),
                arguments("README.md", utf8("# Heading\n\nSome *markdown*."), "text/x-web-markdown"),
                arguments("table.csv", utf8("name,size\nquarry,large\n"), "text/csv"),
                arguments("data.json", utf8("{\"name\": \"quarry\"}"), "application/json"),
                arguments("page.html", utf8("<!DOCTYPE html><html><body><p>hello</p></body></html>"), "text/html"),
                arguments("Main.java", utf8("package demo;\npublic class Main {}\n"), "text/x-java-source"),
                arguments("paper.pdf", SampleFiles.pdf("a pdf about rocks").bytes(), "application/pdf"),
                arguments("letter.docx", SampleFiles.docx("a docx about rocks").bytes(),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void every_supported_format_is_accepted_with_its_detected_type(String filename, byte[] content, String type) {
        HttpResponse<String> response = upload(token, "fmt-" + filename,
                new MultipartBody().file("file", filename, "application/octet-stream", content));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        UUID documentId = UUID.fromString(json(response).path("documentId").asText());
        assertThat(jdbc.queryForObject("select media_type from documents where id = ?", String.class, documentId))
                .isEqualTo(type);
        // Without a metadata title the file name is the title.
        assertThat(jdbc.queryForObject("select title from documents where id = ?", String.class, documentId))
                .isEqualTo(filename);
    }

    @Test
    void a_client_side_path_in_the_file_name_is_reduced_to_its_last_segment() {
        HttpResponse<String> response = upload(token, "path", new MultipartBody()
                .file("file", "C:\\\\Users\\\\me\\\\report.txt", "text/plain", utf8("report")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(jdbc.queryForList("select filename from documents", String.class)).isEqualTo(List.of("report.txt"));
    }
}
