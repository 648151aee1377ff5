package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static dev.quarry.testing.SampleFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input the API itself must turn away, or defuse, before anything is stored: JSON nested deeper than
 * any real document (metadata and JSON bodies), metadata that is not UTF-8 or carries NUL, file names that try
 * to climb directories, and a file whose name lies about its type. Never a 500, nothing half-stored.
 */
class HostileInputIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    private final String admin = TestTokens.forTenant("acme", "tenant-admin");
    private Map<String, Integer> before;

    @BeforeEach
    void countRows() {
        before = rowCounts();
    }

    @Test
    void deeply_nested_metadata_is_invalid_metadata() {
        String nested = "{\"title\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        HttpResponse<String> response = upload(token, UUID.randomUUID().toString(), new MultipartBody()
                .file("file", "a.txt", "text/plain", utf8("content")).json("metadata", nested));

        assertProblem(response, 400, "invalid-metadata");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/documents/reingest", "/api/v1/collections/docs/search-settings",
            "/api/v1/admin/budgets/users/someone/today"})
    void a_deeply_nested_json_body_is_a_400_on_every_json_endpoint(String path) {
        String nested = "{\"collection\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}";
        HttpRequest.Builder request = request(path, path.endsWith("/reingest") ? token : admin)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
        HttpRequest body = path.endsWith("/reingest") ? request.POST(HttpRequest.BodyPublishers.ofString(nested)).build()
                : request.PUT(HttpRequest.BodyPublishers.ofString(nested)).build();

        HttpResponse<String> response = send(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("Exception");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void metadata_that_is_not_utf8_is_invalid_metadata() {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        json.writeBytes("{\"title\":\"".getBytes(StandardCharsets.US_ASCII));
        json.writeBytes(new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF}); // an invalid 2-byte sequence, then 0xFF
        json.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));

        HttpResponse<String> response = upload(token, UUID.randomUUID().toString(), new MultipartBody()
                .file("file", "a.txt", "text/plain", utf8("content")).json("metadata", json.toByteArray()));

        assertProblem(response, 400, "invalid-metadata");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"title\":\"a\\u0000b\"}", "{\"tags\":[\"ok\",\"n\\u0000ul\"]}",
            "{\"source\":\"https://example.org/\\u0000\"}"})
    void nul_bytes_in_metadata_are_invalid_metadata(String metadata) {
        HttpResponse<String> response = upload(token, UUID.randomUUID().toString(), new MultipartBody()
                .file("file", "a.txt", "text/plain", utf8("content")).json("metadata", metadata));

        assertProblem(response, 400, "invalid-metadata");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd.txt", "..\\\\..\\\\windows\\\\win.ini.txt", "/etc/shadow.txt", ".."})
    void a_path_in_the_file_name_never_reaches_storage(String filename) {
        HttpResponse<String> response = upload(token, UUID.randomUUID().toString(),
                new MultipartBody().file("file", filename, "text/plain", utf8("plain text content")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode document = json(get("/api/v1/documents/" + json(response).path("documentId").asText(), token));
        String stored = jdbc.queryForObject("select coalesce(filename, '') from documents where id = ?::uuid",
                String.class, json(response).path("documentId").asText());
        assertThat(stored).doesNotContain("/", "\\", "..", "\u0000");
        assertThat(document.path("title").asText()).doesNotContain("/", "\\", "..");
    }

    @Test
    void a_file_whose_name_lies_is_stored_as_what_its_content_is() {
        byte[] html = utf8("<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>");

        HttpResponse<String> response = upload(token, UUID.randomUUID().toString(),
                new MultipartBody().file("file", "invoice.pdf", "application/pdf", html));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String mediaType = jdbc.queryForObject("select media_type from documents where id = ?::uuid", String.class,
                json(response).path("documentId").asText());
        assertThat(mediaType).isEqualTo("text/html");
    }
}
