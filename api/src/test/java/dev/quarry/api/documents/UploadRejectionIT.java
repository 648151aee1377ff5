package dev.quarry.api.documents;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import static dev.quarry.testing.SampleFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every bad upload gets a clear 4xx problem, and nothing of it is stored. */
class UploadRejectionIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    private Map<String, Integer> before;

    @BeforeEach
    void countRows() {
        // One accepted upload first, so "nothing stored" is checked against non-empty tables.
        assertThat(uploadText(token, "existing.txt", "already here").statusCode()).isEqualTo(202);
        before = rowCounts();
    }

    private void assertNothingStored() {
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void an_empty_file_is_rejected() {
        HttpResponse<String> response = upload(token, "k", new MultipartBody().file("file", "empty.txt", "text/plain",
                new byte[0]));

        assertProblem(response, 400, "empty-file");
        assertNothingStored();
    }

    static Stream<Arguments> binaries() {
        return Stream.of(
                arguments("random.txt", SampleFiles.randomBytes(64 * 1024, 7)),
                arguments("image.gif", SampleFiles.gif()),
                arguments("archive.zip", SampleFiles.zip()),
                arguments("program.md", SampleFiles.elf()));
    }

    @ParameterizedTest
    @MethodSource("binaries")
    void unsupported_binaries_are_rejected_whatever_their_name(String filename, byte[] content) {
        HttpResponse<String> response = upload(token, "k-" + filename,
                new MultipartBody().file("file", filename, "text/plain", content));

        assertProblem(response, 415, "unsupported-media-type");
        assertNothingStored();
    }

    @Test
    void an_upload_over_50_mb_is_rejected_with_413() {
        byte[] big = new byte[51 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');

        HttpResponse<String> response = upload(token, "big",
                new MultipartBody().file("file", "big.txt", "text/plain", big));

        assertProblem(response, 413, "payload-too-large");
        assertNothingStored();
    }

    @Test
    void a_request_without_a_file_part_is_rejected() {
        HttpResponse<String> response = upload(token, "k", new MultipartBody().json("metadata", "{\"title\": \"x\"}"));

        assertProblem(response, 400, "missing-file");
        assertNothingStored();
    }

    @Test
    void a_request_that_is_not_multipart_is_rejected() {
        HttpResponse<String> response = send(request("/api/v1/documents", token)
                .header("Content-Type", "application/json").header("Idempotency-Key", "k")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file\": \"nope\"}")).build());

        assertProblem(response, 415, "unsupported-media-type");
        assertNothingStored();
    }

    @Test
    void a_malformed_multipart_body_is_a_client_error() {
        HttpResponse<String> response = send(request("/api/v1/documents", token)
                .header("Content-Type", "multipart/form-data; boundary=xyz").header("Idempotency-Key", "k")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nthis is not a part")).build());

        assertProblem(response, 400, "missing-file");
        assertNothingStored();
    }

    @Test
    void an_upload_without_idempotency_key_is_rejected() {
        HttpResponse<String> response = upload(token, null,
                new MultipartBody().file("file", "a.txt", "text/plain", utf8("content")));

        assertProblem(response, 400, "missing-idempotency-key");
        assertNothingStored();
    }

    @Test
    void an_overlong_idempotency_key_is_rejected() {
        HttpResponse<String> response = upload(token, "k".repeat(300),
                new MultipartBody().file("file", "a.txt", "text/plain", utf8("content")));

        assertProblem(response, 400, "invalid-idempotency-key");
        assertNothingStored();
    }

    @ParameterizedTest
    @MethodSource("badMetadata")
    void invalid_metadata_is_rejected(String metadata) {
        HttpResponse<String> response = upload(token, "k", new MultipartBody()
                .file("file", "a.txt", "text/plain", utf8("content")).json("metadata", metadata));

        assertProblem(response, 400, "invalid-metadata");
        assertNothingStored();
    }

    static Stream<String> badMetadata() {
        return Stream.of("{not json", "[1, 2]", "{\"reliability\": \"trusted\"}", "{\"collection\": \"no spaces\"}",
                "{\"titel\": \"typo\"}", "{\"tags\": [\"\"]}", "{\"title\": \"nul\\u0000\"}");
    }

    @Test
    void an_upload_without_a_token_is_rejected_before_anything_is_read() {
        HttpResponse<String> response = upload(null, "k",
                new MultipartBody().file("file", "a.txt", "text/plain", utf8("content")));

        assertProblem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertNothingStored();
    }
}
