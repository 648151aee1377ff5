package dev.quarry.worker.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.conversations.ChatProperties;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.Grounding;
import dev.quarry.conversations.MessageRole;
import dev.quarry.conversations.ModelChoice;
import dev.quarry.conversations.PgConversations;
import dev.quarry.conversations.PgMessages;
import dev.quarry.jobs.ChatJob;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.llm.ChatPrompt;
import dev.quarry.llm.Completion;
import dev.quarry.llm.CostCalculator;
import dev.quarry.llm.ModelStats;
import dev.quarry.llm.LanguageModel;
import dev.quarry.llm.LanguageModelException;
import dev.quarry.llm.LanguageModels;
import dev.quarry.llm.UnknownModelException;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chat job's model path, run by hand (not through JobRunr, so no other handler races it) with a scripted
 * in-test {@link LanguageModel}: how the answer is batched into job events, how a retried attempt restarts
 * it, and what is dead-lettered. The providers themselves are tested against their fake servers elsewhere.
 */
class ChatJobIT extends WorkerContext {
    private static final int TOKENS = 500;
    @Autowired JobLifecycle lifecycle;
    @Autowired PgMessages messages;
    @Autowired PgConversations conversations;
    @Autowired Grounding grounding;
    @Autowired ChatProperties properties;
    @Autowired ObjectMapper json;
    @Autowired PgJobStore jobs;
    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate tx;
    @Autowired CostCalculator costs;
    @Autowired ModelStats stats;

    private final String tenant = "chat-job-" + UUID.randomUUID();
    private final List<ChatPrompt> prompts = new ArrayList<>();
    /** What each call of the scripted model does, in turn. */
    private final List<Script> scripts = new ArrayList<>();

    interface Script {
        Completion run(Consumer<String> deltas);
    }

    private final LanguageModel scripted = new LanguageModel() {
        @Override
        public String provider() {
            return "scripted";
        }

        @Override
        public String model() {
            return "m1";
        }

        @Override
        public Completion stream(ChatPrompt prompt, Consumer<String> deltas) {
            prompts.add(prompt);
            return scripts.remove(0).run(deltas);
        }
    };

    private ChatJobHandler handler() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("models", new LanguageModels() {
            @Override
            public Optional<LanguageModel> resolve(String provider, String model) {
                if (provider.equals("scripted")) return Optional.of(scripted);
                throw new UnknownModelException(provider, model);
            }

            @Override
            public Optional<LanguageModel> defaultFor(String tenant) {
                return Optional.empty();
            }
        });
        return new ChatJobHandler(lifecycle, messages, conversations, grounding,
                new ModelChoice(beans.getBeanProvider(LanguageModels.class)), properties, json, costs, stats);
    }

    /** A question and its job, marked as handed over so that neither JobRunr nor the outbox runs it. */
    private UUID ask(String provider, String question) {
        Conversation thread = conversations.create(tenant, "alice",
                new PgConversations.Settings("t", List.of(), provider, "m1", null, null));
        UUID jobId = UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            jobs.create(new NewJob(jobId, tenant, JobType.CHAT, null, null, null));
            messages.append(thread, MessageRole.USER, question, "{}", jobId);
            jobs.markEnqueued(jobId);
        });
        return jobId;
    }

    private static Completion tokens(Consumer<String> deltas, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String token = "w" + i + " ";
            deltas.accept(token);
            text.append(token);
        }
        return new Completion(text.toString(), 120, count, "stop");
    }

    private List<JsonNode> progress(UUID jobId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String data : jdbc.queryForList("select data::text from job_events where job_id = ? and type = 'progress' "
                + "order by id", String.class, jobId)) {
            events.add(json.readTree(data));
        }
        return events;
    }

    private static String deltasAfterLastRestart(List<JsonNode> events) {
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events) {
            if (event.path("restart").asBoolean()) text.setLength(0);
            if (event.has("delta")) text.append(event.path("delta").asText());
        }
        return text.toString();
    }

    private String status(UUID jobId) {
        return jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId);
    }

    @Test
    void a_streamed_answer_is_written_in_batches_not_per_token_and_stored_with_its_model_and_tokens() throws Exception {
        scripts.add(deltas -> tokens(deltas, TOKENS));
        UUID jobId = ask("scripted", "What is in the handbook?");

        handler().run(new ChatJob(jobId, tenant));

        assertThat(status(jobId)).isEqualTo("SUCCEEDED");
        var answer = messages.ofJob(jobId, MessageRole.ASSISTANT).orElseThrow();
        List<JsonNode> events = progress(jobId);
        long batches = events.stream().filter(e -> e.has("delta")).count();
        assertThat(deltasAfterLastRestart(events)).isEqualTo(answer.content());
        assertThat(answer.content()).startsWith("w0 w1 ").endsWith("w499 ");
        // 500 tokens, about 2,400 characters: about 12 batches of 200 characters (a slow moment adds one).
        assertThat(batches).isGreaterThan(1).isLessThan(TOKENS / 10);
        JsonNode metadata = json.readTree(answer.metadata());
        assertThat(metadata.path("provider").asText()).isEqualTo("scripted");
        assertThat(metadata.path("model").asText()).isEqualTo("m1");
        assertThat(metadata.path("outputTokens").asLong()).isEqualTo(TOKENS);
        assertThat(metadata.path("extractive").asBoolean()).isFalse();
        // The price table has no "scripted" model: the answer says it is unpriced, at no cost, tokens counted.
        assertThat(metadata.path("priced").isBoolean()).isTrue();
        assertThat(metadata.path("priced").asBoolean()).isFalse();
        assertThat(metadata.path("costUsd").decimalValue()).isZero();
        List<ChatPrompt.PromptMessage> prompt = prompts.get(0).messages();
        assertThat(prompt.get(0).role()).isEqualTo("system");
        assertThat(prompt.get(0).content()).startsWith(properties.systemPrompt());
        assertThat(prompt.get(prompt.size() - 1)).isEqualTo(new ChatPrompt.PromptMessage("user", "What is in the handbook?"));
    }

    @Test
    void a_stream_cut_mid_answer_is_retried_and_the_new_attempt_restarts_the_answer_which_is_stored_once() throws Exception {
        scripts.add(deltas -> {
            tokens(deltas, 120);
            throw new LanguageModelException("stream cut", true, null);
        });
        scripts.add(deltas -> tokens(deltas, 80));
        UUID jobId = ask("scripted", "Tell me everything.");
        ChatJobHandler handler = handler();

        assertThatThrownBy(() -> handler.run(new ChatJob(jobId, tenant))).isInstanceOf(LanguageModelException.class);
        assertThat(messages.ofJob(jobId, MessageRole.ASSISTANT)).isEmpty();
        assertThat(deltasAfterLastRestart(progress(jobId))).startsWith("w0 w1 ");
        handler.run(new ChatJob(jobId, tenant)); // the retry

        assertThat(status(jobId)).isEqualTo("SUCCEEDED");
        List<JsonNode> events = progress(jobId);
        assertThat(events.stream().filter(e -> e.path("restart").asBoolean()).count()).isEqualTo(2);
        String answer = messages.ofJob(jobId, MessageRole.ASSISTANT).orElseThrow().content();
        assertThat(answer).endsWith("w79 ").doesNotContain("w80 ");
        assertThat(deltasAfterLastRestart(events)).isEqualTo(answer);
        assertThat(jdbc.queryForObject("select count(*) from conversation_messages where job_id = ?", Integer.class,
                jobId)).isEqualTo(2);
    }

    @Test
    void a_permanent_provider_failure_and_an_unknown_model_are_dead_lettered_without_an_answer() {
        scripts.add(deltas -> {
            throw new LanguageModelException("401 invalid key", false, null);
        });
        UUID refused = ask("scripted", "Hello?");
        UUID unknown = ask("uninstalled", "Hello?");

        handler().run(new ChatJob(refused, tenant));
        handler().run(new ChatJob(unknown, tenant));

        for (UUID jobId : List.of(refused, unknown)) {
            assertThat(status(jobId)).isEqualTo("DEAD_LETTERED");
            assertThat(messages.ofJob(jobId, MessageRole.ASSISTANT)).isEmpty();
            assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs where job_id = ?", Integer.class, jobId))
                    .isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("select error_class from dead_letter_jobs where job_id = ?", String.class, unknown))
                .isEqualTo("dev.quarry.llm.UnknownModelException");
    }
}
