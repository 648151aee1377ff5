package dev.quarry.api.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.api.WorkerProcessExtension;
import dev.quarry.conversations.ExtractiveAnswer;
import dev.quarry.llm.LanguageModel;
import dev.quarry.llm.LanguageModels;
import dev.quarry.llm.UnknownModelException;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Grounded chat end to end: the real API accepts a question, a real worker process runs its CHAT job (hybrid
 * search over documents it ingested itself, the prompt, the answer streamed as batched job events) and stores
 * the answer. No provider is installed here, so the answer is extractive. The API's {@link LanguageModels} is a
 * stand-in registry that knows one provider without a key: it only decides which choices the API refuses
 * (the provider helper's registry replaces it; providers are tested against their fake servers there).
 */
@Import(ChatIT.Registry.class)
@TestPropertySource(properties = {"quarry.chat.max-message-bytes=16KB", "quarry.budget.user.daily-tokens=2000"})
class ChatIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("chat");

    /** Knows {@code openai} (without a key: it resolves to nothing) and no other provider; no tenant default. */
    @TestConfiguration
    static class Registry {
        @Bean
        @Primary
        LanguageModels languageModels() {
            return new LanguageModels() {
                @Override
                public Optional<LanguageModel> resolve(String provider, String model) {
                    if ("openai".equals(provider)) return Optional.empty();
                    throw new UnknownModelException(provider, model);
                }

                @Override
                public Optional<LanguageModel> defaultFor(String tenant) {
                    return Optional.empty();
                }
            };
        }
    }

    private final String tenant = "chat-" + UUID.randomUUID();
    private final String alice = TestTokens.forSubject("alice", tenant, List.of(), Map.of());
    private String bread;

    @BeforeEach
    void documents() {
        List<String> jobs = new ArrayList<>();
        JsonNode sourdough = json(uploadText(alice, "sourdough.txt", "Sourdough bread rises slowly thanks to wild "
                + "yeast and lactic bacteria. A healthy starter doubles within six to eight hours at room temperature. "
                + "Feed the starter with equal weights of flour and water every day."));
        bread = sourdough.path("documentId").asText();
        jobs.add(sourdough.path("jobId").asText());
        jobs.add(json(uploadText(alice, "granite.txt", "Granite is an igneous rock formed from slowly cooling magma "
                + "deep underground. Its crystals are large because the magma cooled over thousands of years."))
                .path("jobId").asText());
        jobs.add(json(uploadText(alice, "tides.txt", "Tides are caused by the gravitational pull of the moon and the "
                + "sun on the oceans; spring tides happen at new and full moon.")).path("jobId").asText());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String job : jobs) assertThat(json(get("/api/v1/jobs/" + job, alice)).path("status").asText()).isEqualTo("SUCCEEDED");
        });
    }

    private HttpResponse<String> post(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String thread(String token, String body) {
        HttpResponse<String> created = post("/api/v1/conversations", token, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    private JsonNode ask(String thread, String question) {
        HttpResponse<String> accepted = post("/api/v1/conversations/" + thread + "/chat", alice,
                JSON.createObjectNode().put("content", question).toString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted);
    }

    private JsonNode answerOf(String thread, String jobId) {
        JsonNode[] answer = new JsonNode[1];
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode messages = json(get("/api/v1/conversations/" + thread + "/messages", alice)).path("messages");
            answer[0] = null;
            messages.forEach(m -> {
                if (m.path("role").asText().equals("assistant") && m.path("jobId").asText().equals(jobId)) answer[0] = m;
            });
            assertThat(answer[0]).isNotNull();
        });
        return answer[0];
    }

    private SseClient events(String jobId, Long lastEventId) {
        HttpRequest.Builder request = request("/api/v1/jobs/" + jobId + "/events", alice)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) request.header("Last-Event-ID", Long.toString(lastEventId));
        return SseClient.open(http, request.GET().build());
    }

    private static String deltas(List<SseClient.Event> events) {
        StringBuilder text = new StringBuilder();
        for (SseClient.Event event : events) {
            JsonNode data = json(event.data());
            if (data.path("step").asText().equals("answer") && data.has("delta")) text.append(data.path("delta").asText());
        }
        return text.toString();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    @Test
    void without_a_model_the_answer_quotes_the_best_passages_with_citations_streamed_in_batches() {
        String thread = thread(alice, "{\"title\":\"Baking\"}");
        JsonNode accepted = ask(thread, "How long does a sourdough starter take to double?");
        String jobId = accepted.path("jobId").asText();
        assertThat(accepted.path("events").asText()).isEqualTo("/api/v1/jobs/" + jobId + "/events");

        List<SseClient.Event> all;
        try (SseClient stream = events(jobId, null)) {
            await().atMost(Duration.ofMinutes(1)).until(stream::ended);
            all = stream.events();
        }
        JsonNode answer = answerOf(thread, jobId);
        String content = answer.path("content").asText();
        assertThat(content).startsWith(ExtractiveAnswer.NO_MODEL).contains("[1] \"Sourdough bread rises slowly")
                .contains("(sourdough.txt)");
        JsonNode citations = answer.path("metadata").path("citations");
        assertThat(citations.get(0).path("documentId").asText()).isEqualTo(bread);
        assertThat(citations.get(0).path("number").asInt()).isEqualTo(1);
        assertThat(citations.get(0).path("chunkId").asLong()).isPositive();
        assertThat(answer.path("metadata").path("extractive").asBoolean()).isTrue();

        assertThat(all.get(0).name()).isEqualTo("queued");
        assertThat(all.get(all.size() - 1).name()).isEqualTo("succeeded");
        JsonNode cited = json(all.get(2).data());
        assertThat(cited.path("step").asText()).isEqualTo("citations");
        assertThat(cited.path("citations").get(0).path("documentId").asText()).isEqualTo(bread);
        assertThat(cited.path("citations").get(0).path("text").asText()).startsWith("Sourdough bread");
        assertThat(deltas(all)).isEqualTo(content);
        long batches = all.stream().filter(e -> json(e.data()).has("delta")).count();
        assertThat(batches).isGreaterThan(1).isLessThan(content.length() / 50);
        assertThat(json(all.get(all.size() - 2).data()).path("messageId").asText()).isEqualTo(answer.path("id").asText());
    }

    @Test
    void a_client_that_disconnects_mid_answer_gets_the_rest_with_last_event_id() {
        String thread = thread(alice, "{\"title\":\"Rocks\"}");
        String jobId = ask(thread, "Why does granite have large crystals?").path("jobId").asText();

        List<SseClient.Event> before;
        try (SseClient first = events(jobId, null)) {
            await().atMost(Duration.ofMinutes(1)).until(() -> first.events().stream()
                    .anyMatch(e -> json(e.data()).has("delta")));
            List<SseClient.Event> seen = first.events();
            int firstDelta = 0;
            while (!json(seen.get(firstDelta).data()).has("delta")) firstDelta++;
            before = seen.subList(0, firstDelta + 1); // the connection drops right after the first piece
        }
        long lastSeen = before.get(before.size() - 1).id();
        List<SseClient.Event> rest;
        try (SseClient second = events(jobId, lastSeen)) {
            await().atMost(Duration.ofMinutes(1)).until(second::ended);
            rest = second.events();
        }
        List<SseClient.Event> all;
        try (SseClient whole = events(jobId, null)) {
            await().atMost(Duration.ofMinutes(1)).until(whole::ended);
            all = whole.events();
        }

        assertThat(rest).isNotEmpty().isEqualTo(all.subList(before.size(), all.size()));
        assertThat(rest.get(rest.size() - 1).name()).isEqualTo("succeeded");
        assertThat(deltas(rest)).isNotEmpty();
        assertThat(deltas(before) + deltas(rest)).isEqualTo(answerOf(thread, jobId).path("content").asText());
    }

    @Test
    void the_answer_is_stored_with_no_client_listening_and_a_follow_up_gets_the_history_in_its_prompt() {
        String thread = thread(alice, "{\"title\":\"Tides\"}");
        String jobId = ask(thread, "What causes the tides?").path("jobId").asText();

        JsonNode answer = answerOf(thread, jobId);
        assertThat(answer.path("content").asText()).contains("gravitational pull of the moon");

        JsonNode augmented = json(post("/api/v1/rag/augment", alice, JSON.createObjectNode()
                .put("query", "And spring tides?").put("conversationId", thread).toString()));
        JsonNode messages = augmented.path("prompt").path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).path("content").asText()).contains("[1] tides.txt");
        assertThat(messages.get(1).path("content").asText()).isEqualTo("What causes the tides?");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(messages.size() - 1).path("content").asText()).isEqualTo("And spring tides?");
        assertThat(augmented.path("citations").get(0).path("title").asText()).isEqualTo("tides.txt");
        assertThat(augmented.path("estimatedTokens").asLong()).isPositive();
    }

    @Test
    void bad_questions_get_a_problem_and_store_nothing() {
        String thread = thread(alice, "{\"title\":\"Refusals\"}");
        String chat = "/api/v1/conversations/" + thread + "/chat";
        String bob = TestTokens.forSubject("bob", tenant, List.of(), Map.of());
        Map<String, Integer> before = counts();

        assertProblem(post(chat, alice, "{\"content\":\"   \"}"), 400, "empty-message");
        assertProblem(post(chat, alice, "{}"), 400, "empty-message");
        assertProblem(post(chat, bob, "{\"content\":\"whose thread is this?\"}"), 404, "not-found");
        assertProblem(post(chat, alice, JSON.createObjectNode().put("content", "x".repeat(20_000)).toString()), 413,
                "payload-too-large");
        assertProblem(post("/api/v1/conversations", alice, "{\"provider\":\"nosuch\",\"model\":\"m\"}"), 422,
                "unknown-model");
        assertProblem(send(request("/api/v1/conversations/" + thread, alice).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}"))
                .build()), 422, "model-not-configured");
        // A model uninstalled, or a key removed, after the thread chose it:
        jdbc.update("update conversations set provider = 'nosuch', model = 'm' where id = ?::uuid", thread);
        assertProblem(post(chat, alice, "{\"content\":\"hello\"}"), 422, "unknown-model");
        jdbc.update("update conversations set provider = 'openai', model = 'gpt-4o-mini' where id = ?::uuid", thread);
        assertProblem(post(chat, alice, "{\"content\":\"hello\"}"), 422, "model-not-configured");
        jdbc.update("update conversations set provider = null, model = null where id = ?::uuid", thread);
        // 10 KB is 2,500 tokens at 4 bytes a token: over the user's 2,000 a day.
        assertProblem(post(chat, alice, JSON.createObjectNode().put("content", "y ".repeat(5_000)).toString()), 429,
                "budget-exceeded");
        assertProblem(post("/api/v1/rag/augment", alice, "{\"query\":\"\"}"), 400, "empty-message");

        assertThat(counts()).isEqualTo(before);
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>(rowCounts());
        for (String table : new String[]{"conversations", "conversation_messages"}) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Integer.class));
        }
        return counts;
    }
}
