package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentListIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");

    @Test
    void pages_walk_all_documents_newest_first_by_cursor() {
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uploaded.add(json(uploadText(token, "doc-" + i + ".txt", "document number " + i)).path("documentId").asText());
        }
        uploadText(TestTokens.forTenant("globex"), "other.txt", "not acme's");

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(get("/api/v1/documents?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token));
            page.path("items").forEach(item -> seen.add(item.path("id").asText()));
            pageSizes.add(page.path("items").size());
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        List<String> newestFirst = new ArrayList<>(uploaded);
        Collections.reverse(newestFirst);
        assertThat(seen).isEqualTo(newestFirst);
    }

    @Test
    void a_document_shows_metadata_and_status_but_never_its_bytes() {
        String id = json(uploadText(token, "notes.txt", "the secret words")).path("documentId").asText();

        JsonNode document = json(get("/api/v1/documents/" + id, token));

        assertThat(document.path("id").asText()).isEqualTo(id);
        assertThat(document.path("title").asText()).isEqualTo("notes.txt");
        assertThat(document.path("collection").asText()).isEqualTo("default");
        assertThat(document.path("reliability").asText()).isEqualTo("unknown");
        assertThat(document.path("mediaType").asText()).isEqualTo("text/plain");
        assertThat(document.path("sizeBytes").asLong()).isEqualTo("the secret words".length());
        assertThat(document.path("sha256").asText()).hasSize(64);
        assertThat(document.path("status").asText()).isEqualTo("PENDING");
        assertThat(document.path("chunkCount").asInt()).isZero();
        assertThat(document.path("tags").isArray()).isTrue();
        assertThat(document.toString()).doesNotContain("secret words");
    }

    @Test
    void bad_cursors_and_limits_are_problems() {
        assertProblem(get("/api/v1/documents?cursor=garbage", token), 400, "invalid-cursor");
        assertProblem(get("/api/v1/documents?cursor=djF8MXwyfDM", token), 400, "invalid-cursor");
        assertProblem(get("/api/v1/documents?limit=0", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/documents?limit=101", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/documents?limit=ten", token), 400, "invalid-parameter");
    }
}
