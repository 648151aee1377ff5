package dev.quarry.api.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Threads and messages over the real API and PostgreSQL: lifecycle, pages, whole messages, history search. */
class ConversationsIT extends ApiIntegrationTest {
    private final String tenant = "conv-" + UUID.randomUUID();
    private final String alice = TestTokens.forSubject("alice", tenant, List.of(), Map.of());
    private final String bob = TestTokens.forSubject("bob", tenant, List.of(), Map.of());

    private HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString());
        return send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode thread(String token, String body) {
        HttpResponse<String> created = send("POST", "/api/v1/conversations", token, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    private String message(String thread, String role, String content) {
        HttpResponse<String> stored = send("POST", "/api/v1/conversations/" + thread + "/messages", alice,
                JSON.createObjectNode().put("role", role).put("content", content).toString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        return json(stored).path("id").asText();
    }

    @Test
    void a_thread_is_renamed_pinned_archived_deleted_and_restored_by_its_owner_only() {
        JsonNode created = thread(alice, "{\"title\":\"Draft\",\"collections\":[\"handbook\"]}");
        String id = created.path("id").asText();
        assertThat(created.path("collections")).hasSize(1);
        String path = "/api/v1/conversations/" + id;

        JsonNode renamed = json(send("PATCH", path, alice, "{\"title\":\"Onboarding questions\",\"pinned\":true}"));
        assertThat(renamed.path("title").asText()).isEqualTo("Onboarding questions");
        assertThat(renamed.path("pinned").asBoolean()).isTrue();

        assertThat(json(send("PATCH", path, alice, "{\"archived\":true}")).path("archived").asBoolean()).isTrue();
        assertThat(ids(get("/api/v1/conversations", alice))).doesNotContain(id);
        assertThat(ids(get("/api/v1/conversations?view=archived", alice))).containsExactly(id);

        assertThat(json(send("DELETE", path, alice, null)).path("deletedAt").isNull()).isFalse();
        assertThat(ids(get("/api/v1/conversations?view=deleted", alice))).containsExactly(id);
        assertProblem(send("POST", path + "/messages", alice, "{\"role\":\"user\",\"content\":\"hi\"}"), 404, "not-found");

        JsonNode restored = json(send("POST", path + "/restore", alice, null));
        assertThat(restored.path("deletedAt").isNull()).isTrue();
        assertThat(restored.path("title").asText()).isEqualTo("Onboarding questions");

        // Bob is in the same tenant, but the thread is Alice's.
        assertProblem(get(path, bob), 404, "not-found");
        assertProblem(send("PATCH", path, bob, "{\"title\":\"mine now\"}"), 404, "not-found");
        assertProblem(send("DELETE", path, bob, null), 404, "not-found");
        assertProblem(get(path + "/messages", bob), 404, "not-found");
        assertThat(json(get(path, alice)).path("title").asText()).isEqualTo("Onboarding questions");
    }

    @Test
    void threads_are_listed_newest_first_in_keyset_pages_and_found_by_title() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) created.add(thread(alice, "{\"title\":\"Quarterly report " + i + "\"}").path("id").asText());
        thread(alice, "{\"title\":\"Holiday plans\"}");
        thread(bob, "{\"title\":\"Quarterly report of Bob\"}");

        List<String> seen = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = json(get("/api/v1/conversations?q=quarterly&limit=3&cursor=" + cursor, alice));
            page.path("threads").forEach(t -> seen.add(t.path("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);
        assertThat(seen).isEqualTo(newestFirst);
        assertThat(ids(get("/api/v1/conversations", alice))).hasSize(8);
        assertProblem(get("/api/v1/conversations?cursor=not-a-cursor", alice), 400, "invalid-cursor");
        assertProblem(get("/api/v1/conversations?view=everything", alice), 400, "invalid-parameter");
    }

    @Test
    void a_five_megabyte_message_is_stored_and_read_back_unchanged() {
        String thread = thread(alice, "{\"title\":\"Big paste\"}").path("id").asText();
        StringBuilder text = new StringBuilder(5 * 1024 * 1024 + 64);
        Random random = new Random(14);
        String[] alphabet = "a b c d e f g h i j k l m n o p q r s t u v w x y z ä ö ü € 😀 \n \t \" \\ < > &".split(" ");
        while (text.length() < 5 * 1024 * 1024) text.append(alphabet[random.nextInt(alphabet.length)]);
        String content = text.toString();
        String body = JSON.createObjectNode().put("role", "tool").put("content", content)
                .set("metadata", JSON.createObjectNode().put("tool", "paste").put("bytes", content.length())).toString();

        HttpResponse<String> stored = send("POST", "/api/v1/conversations/" + thread + "/messages", alice, body);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(json(stored).path("bytes").asLong()).isEqualTo(content.getBytes(StandardCharsets.UTF_8).length);

        HttpResponse<String> fetched = get(stored.headers().firstValue("Location").orElseThrow(), alice);
        assertThat(fetched.statusCode()).isEqualTo(200);
        JsonNode read = json(fetched);
        assertThat(read.path("content").asText()).isEqualTo(content);
        assertThat(read.path("role").asText()).isEqualTo("tool");
        assertThat(read.path("metadata").path("tool").asText()).isEqualTo("paste");
        assertThat(jdbc.queryForObject("select count(*) from conversation_messages where metadata @> '{\"tool\":\"paste\"}'",
                Integer.class)).isEqualTo(1);
        JsonNode listed = json(get("/api/v1/conversations/" + thread + "/messages", alice)).path("messages");
        assertThat(listed.get(0).path("content").asText()).isEqualTo(content);
    }

    @Test
    void history_is_searched_by_full_text_and_by_trigram_with_a_typo_over_the_callers_messages_only() {
        String thread = thread(alice, "{\"title\":\"Infra\"}").path("id").asText();
        String kubernetes = message(thread, "user", "How do we upgrade the Kubernetes clusters without downtime?");
        message(thread, "assistant", "Drain each node, then upgrade the control plane first.");
        String bobs = thread(bob, "{\"title\":\"Bob infra\"}").path("id").asText();
        send("POST", "/api/v1/conversations/" + bobs + "/messages", bob,
                "{\"role\":\"user\",\"content\":\"Kubernetes upgrades for Bob\"}");

        JsonNode fullText = json(get("/api/v1/messages/search?q=" + encode("upgrading clusters"), alice));
        assertThat(fullText.path("hits")).hasSize(1);
        assertThat(fullText.path("hits").get(0).path("messageId").asText()).isEqualTo(kubernetes);
        assertThat(fullText.path("hits").get(0).path("snippet").asText()).contains("<b>");
        assertThat(fullText.path("hits").get(0).path("conversationTitle").asText()).isEqualTo("Infra");
        assertThat(fullText.path("hits").get(0).path("role").asText()).isEqualTo("user");

        JsonNode typo = json(get("/api/v1/messages/search?mode=trigram&q=" + encode("kubernetis"), alice));
        assertThat(typo.path("hits")).extracting(h -> h.path("messageId").asText()).containsExactly(kubernetes);
        assertThat(json(get("/api/v1/messages/search?q=" + encode("kubernetis"), alice)).path("hits")).isEmpty();

        send("DELETE", "/api/v1/conversations/" + thread, alice, null);
        assertThat(json(get("/api/v1/messages/search?mode=trigram&q=kubernetes", alice)).path("hits")).isEmpty();
        assertProblem(get("/api/v1/messages/search?q=", alice), 400, "invalid-parameter");
        assertProblem(get("/api/v1/messages/search?q=x&mode=regex", alice), 400, "invalid-parameter");
    }

    @Test
    void bad_messages_are_refused_and_store_nothing() {
        String thread = thread(alice, "{\"title\":\"Bad input\"}").path("id").asText();
        String path = "/api/v1/conversations/" + thread + "/messages";
        Integer before = jdbc.queryForObject("select count(*) from conversation_messages", Integer.class);

        assertProblem(send("POST", path, alice, "{\"role\":\"user\",\"content\":\"  \"}"), 400, "empty-message");
        assertProblem(send("POST", path, alice, "{\"role\":\"oracle\",\"content\":\"hi\"}"), 400, "invalid-parameter");
        assertProblem(send("POST", path, alice, "{\"role\":\"user\",\"content\":\"hi\",\"metadata\":[1]}"), 400,
                "invalid-parameter");
        assertProblem(send("POST", "/api/v1/conversations/" + UUID.randomUUID() + "/messages", alice,
                "{\"role\":\"user\",\"content\":\"hi\"}"), 404, "not-found");
        assertProblem(send("PATCH", "/api/v1/conversations/" + thread, alice, "{\"title\":\"\"}"), 400,
                "invalid-parameter");

        assertThat(jdbc.queryForObject("select count(*) from conversation_messages", Integer.class)).isEqualTo(before);
    }

    private static List<String> ids(HttpResponse<String> page) {
        List<String> ids = new ArrayList<>();
        json(page).path("threads").forEach(t -> ids.add(t.path("id").asText()));
        return ids;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
