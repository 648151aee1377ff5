package dev.quarry.api.exports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.testing.TestTokens;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conversations exported through the exports API and the worker's exporter port, read back by readers that did
 * not write them: Jackson for JSON, commonmark-java for Markdown. Only the caller's own threads: another user's
 * thread is the same 404 problem as on the conversation endpoints, and another user cannot see the export.
 */
class ConversationExportsIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("conversation-export");
    private static final String MARKDOWN_MESSAGE = """
            # Not a heading of the export

            Code, with a fence of its own:

            ```java
            var x = "``backticks``";
            ```
            Zürich, 東京, emoji 🚀 and a trailing space\s""";

    private final String tenant = "chat-export-" + UUID.randomUUID();
    private final String alice = TestTokens.forSubject("alice", tenant, List.of(), Map.of());
    private final String bob = TestTokens.forSubject("bob", tenant, List.of(), Map.of());

    @Test
    void all_of_a_users_threads_export_as_json_with_every_message_and_its_metadata() throws Exception {
        String planning = thread(alice, "Release planning");
        String question = message(alice, planning, "user", "When do we ship 2.0?", null);
        String answer = message(alice, planning, "assistant", MARKDOWN_MESSAGE,
                "{\"citations\": [{\"number\": 1, \"title\": \"Roadmap\"}], \"outputTokens\": 42}");
        String archived = thread(alice, "Old notes");
        message(alice, archived, "system", "You answer briefly.", null);
        patch(alice, archived, "{\"archived\": true}");
        String trashed = thread(alice, "Trashed");
        send(request("/api/v1/conversations/" + trashed, alice).header("Idempotency-Key", UUID.randomUUID().toString())
                .DELETE().build());
        String bobs = thread(bob, "Bob's own");
        message(bob, bobs, "user", "Bob's secret question", null);

        String id = exported(alice, "{\"format\":\"json\",\"scope\":{\"conversations\":true}}");

        JsonNode file = JSON.readTree(download(alice, id));
        assertThat(file.path("conversationCount").asInt()).isEqualTo(2);
        assertThat(file.path("conversations")).extracting(t -> t.path("title").asText())
                .containsExactly("Release planning", "Old notes");
        JsonNode first = file.path("conversations").get(0);
        assertThat(first.path("id").asText()).isEqualTo(planning);
        assertThat(first.path("messages")).extracting(m -> m.path("id").asText()).containsExactly(question, answer);
        assertThat(first.path("messages").get(1).path("content").asText()).isEqualTo(MARKDOWN_MESSAGE);
        assertThat(first.path("messages").get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(first.path("messages").get(1).path("metadata"))
                .isEqualTo(JSON.readTree("{\"citations\": [{\"number\": 1, \"title\": \"Roadmap\"}], \"outputTokens\": 42}"));
        assertThat(file.path("conversations").get(1).path("archived").asBoolean()).isTrue();
        assertThat(file.toString()).doesNotContain("Bob's secret question").doesNotContain("Trashed");
        assertThat(json(get("/api/v1/exports/" + id, alice)).path("documents").asInt()).isEqualTo(2);

        // Bob cannot see Alice's export, as he cannot see her threads; a document export stays the tenant's.
        assertProblem(get("/api/v1/exports/" + id, bob), 404, "not-found");
        assertProblem(get("/api/v1/exports/" + id + "/file", bob), 404, "not-found");
    }

    @Test
    void one_thread_exports_as_markdown_that_a_commonmark_reader_gives_back_exactly() throws Exception {
        String thread = thread(alice, "Markdown round trip");
        message(alice, thread, "user", "Plain question?", null);
        message(alice, thread, "assistant", MARKDOWN_MESSAGE, null);
        thread(alice, "Another thread, not in this export");

        String id = exported(alice, "{\"format\":\"markdown\",\"scope\":{\"conversationId\":\"" + thread + "\"}}");

        String markdown = new String(download(alice, id), StandardCharsets.UTF_8);
        List<String> threads = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        Parser.builder().build().parse(markdown).accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                String text = ((Text) heading.getFirstChild()).getLiteral();
                if (heading.getLevel() == 2) threads.add(text);
                if (heading.getLevel() == 3) messages.add(text);
            }

            @Override
            public void visit(FencedCodeBlock block) {
                bodies.add(block.getLiteral());
            }
        });
        assertThat(threads).containsExactly("Markdown round trip");
        assertThat(messages).hasSize(2).satisfiesExactly(
                user -> assertThat(user).startsWith("user · "), assistant -> assertThat(assistant).startsWith("assistant · "));
        assertThat(bodies).containsExactly("Plain question?\n", MARKDOWN_MESSAGE + "\n");
    }

    @Test
    void another_users_thread_and_bad_conversation_scopes_get_problems_and_change_nothing() {
        String bobs = thread(bob, "Bob's");
        String alices = thread(alice, "Alice's");
        Map<String, Integer> before = counts();

        JsonNode elsewhere = assertProblem(get("/api/v1/conversations/" + bobs, alice), 404, "not-found");
        JsonNode export = assertProblem(post(alice, "{\"format\":\"json\",\"scope\":{\"conversationId\":\"" + bobs + "\"}}"),
                404, "not-found");
        assertThat(export.path("title").asText()).isEqualTo(elsewhere.path("title").asText());
        assertThat(export.path("detail").asText()).isEqualTo(elsewhere.path("detail").asText());
        assertProblem(post(alice, "{\"format\":\"json\",\"scope\":{\"conversationId\":\"" + UUID.randomUUID() + "\"}}"),
                404, "not-found");
        assertProblem(post(alice, "{\"format\":\"pdf\",\"scope\":{\"conversationId\":\"" + alices + "\"}}"),
                400, "invalid-parameter");
        assertProblem(post(alice, "{\"format\":\"json\",\"scope\":{\"conversations\":true,\"collection\":\"x\"}}"),
                400, "invalid-parameter");
        assertProblem(post(alice, "{\"format\":\"json\",\"includeVectors\":true,\"scope\":{\"conversations\":true}}"),
                400, "invalid-parameter");
        assertProblem(post(TestTokens.forSubject("carol", tenant, List.of(), Map.of()),
                "{\"format\":\"json\",\"scope\":{\"conversations\":true}}"), 422, "empty-scope");
        assertThat(counts()).isEqualTo(before);
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>(rowCounts());
        counts.put("exports", jdbc.queryForObject("select count(*) from exports", Integer.class));
        return counts;
    }

    private String exported(String token, String body) {
        HttpResponse<String> accepted = post(token, body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).path("exportId").asText();
        await().atMost(Duration.ofMinutes(2)).until(() ->
                json(get("/api/v1/exports/" + id, token)).path("status").asText().equals("SUCCEEDED"));
        return id;
    }

    private String thread(String token, String title) {
        HttpResponse<String> created = send(request("/api/v1/conversations", token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": " + quoted(title) + "}")).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    private String message(String token, String thread, String role, String content, String metadata) {
        String body = "{\"role\": \"" + role + "\", \"content\": " + quoted(content)
                + (metadata == null ? "" : ", \"metadata\": " + metadata) + "}";
        HttpResponse<String> stored = send(request("/api/v1/conversations/" + thread + "/messages", token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        return json(stored).path("id").asText();
    }

    private void patch(String token, String thread, String body) {
        HttpResponse<String> patched = send(request("/api/v1/conversations/" + thread, token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    }

    private HttpResponse<String> post(String token, String body) {
        return send(request("/api/v1/exports", token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private byte[] download(String token, String id) throws Exception {
        HttpResponse<byte[]> file = http.send(request("/api/v1/exports/" + id + "/file", token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        return file.body();
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
