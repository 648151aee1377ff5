package dev.quarry.llm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.quarry.llm.anthropic.AnthropicProvider;
import dev.quarry.llm.gemini.GeminiProvider;
import dev.quarry.llm.openai.OpenAiProvider;
import dev.quarry.testing.FakeChatServer;
import dev.quarry.testing.FakeChatServer.Protocol;
import dev.quarry.testing.FakeChatServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Each built-in provider against a real local server speaking its streaming protocol: a normal answer with its
 * usage, and each failure classified as the retry policy needs it.
 */
class ProviderStreamingTest {
    private static final ChatPrompt PROMPT = new ChatPrompt(List.of(
            new ChatPrompt.PromptMessage("system", "Answer from the passages."),
            new ChatPrompt.PromptMessage("user", "What does Quarry do?")));
    private static FakeChatServer server;

    @BeforeAll
    static void start() {
        server = FakeChatServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static LanguageModelProvider provider(Protocol protocol, String key) {
        LlmProperties.Provider settings = new LlmProperties.Provider(key, server.baseUrl(protocol), null,
                Duration.ofSeconds(2), Duration.ofSeconds(10), 256);
        LlmProperties properties = new LlmProperties(
                protocol == Protocol.OPENAI ? settings : null, protocol == Protocol.ANTHROPIC ? settings : null,
                protocol == Protocol.GEMINI ? settings : null, null, Map.of(), List.of(), null);
        return switch (protocol) {
            case OPENAI -> new OpenAiProvider(properties);
            case ANTHROPIC -> new AnthropicProvider(properties);
            case GEMINI -> new GeminiProvider(properties);
        };
    }

    private static LanguageModel model(Protocol protocol, String name) {
        return provider(protocol, FakeChatServer.API_KEY).model(name, JsonNodeFactory.instance.objectNode());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void a_streamed_answer_arrives_delta_by_delta_with_its_usage(Protocol protocol) {
        server.enqueue(Reply.answer(List.of("Quarry ", "ingests ", "and ", "retrieves."), 41, 7));
        List<String> deltas = new CopyOnWriteArrayList<>();

        Completion completion = model(protocol, "model-a").stream(PROMPT, deltas::add);

        assertThat(deltas).containsExactly("Quarry ", "ingests ", "and ", "retrieves.");
        assertThat(completion.text()).isEqualTo("Quarry ingests and retrieves.");
        assertThat(completion.inputTokens()).isEqualTo(41);
        assertThat(completion.outputTokens()).isEqualTo(7);
        assertThat(completion.finishReason()).isEqualTo("stop");
        FakeChatServer.RecordedRequest request = server.requests().get(server.requests().size() - 1);
        assertThat(request.protocol()).isEqualTo(protocol);
        assertThat(request.model()).isEqualTo("model-a");
        assertThat(request.body().toString()).contains("What does Quarry do?").contains("Answer from the passages.");
    }

    static Stream<Arguments> transientStatuses() {
        return Arrays.stream(Protocol.values())
                .flatMap(protocol -> Stream.of(429, 500, 503).map(status -> Arguments.of(protocol, status)));
    }

    @ParameterizedTest
    @MethodSource("transientStatuses")
    void a_rate_limit_or_a_server_error_is_transient(Protocol protocol, int status) {
        server.enqueue(Reply.status(status));

        LanguageModelException failure = failure(protocol, "model-a");

        assertThat(failure.transientFailure()).as(failure.getMessage()).isTrue();
        assertThat(failure).hasMessageContaining(Integer.toString(status));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void a_stream_cut_mid_answer_is_transient(Protocol protocol) {
        server.enqueue(Reply.cut(List.of("The first half ", "of an answer")));
        List<String> deltas = new CopyOnWriteArrayList<>();

        LanguageModelException failure = catchThrowableOfType(
                () -> model(protocol, "model-a").stream(PROMPT, deltas::add), LanguageModelException.class);

        assertThat(failure).isNotNull();
        assertThat(failure.transientFailure()).as(failure.getMessage()).isTrue();
        assertThat(failure).hasMessageNotContaining("within");
        // What the client had parsed before the connection dropped: the deltas sent, or a prefix of them (when
        // the failure overtakes bytes still being read).
        assertThat(String.join("", deltas)).isIn("", "The first half ", "The first half of an answer");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void a_stream_that_ends_cleanly_before_the_providers_end_is_a_cut_stream_too(Protocol protocol) {
        server.enqueue(Reply.endedEarly(List.of("Half an answer")));

        LanguageModelException failure = failure(protocol, "model-a");

        assertThat(failure.transientFailure()).as(failure.getMessage()).isTrue();
        assertThat(failure).hasMessageNotContaining("within");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void a_wrong_key_is_permanent(Protocol protocol) {
        LanguageModelException failure = catchThrowableOfType(() -> provider(protocol, "wrong-key")
                .model("model-a", null).stream(PROMPT, delta -> { }), LanguageModelException.class);

        assertThat(failure).isNotNull();
        assertThat(failure.transientFailure()).as(failure.getMessage()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void an_unknown_model_is_permanent(Protocol protocol) {
        LanguageModelException failure = failure(protocol, FakeChatServer.UNKNOWN_MODEL);

        assertThat(failure.transientFailure()).as(failure.getMessage()).isFalse();
        assertThat(failure).hasMessageContaining("404");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void a_failing_delta_consumer_stops_the_answer_with_its_own_exception(Protocol protocol) {
        IllegalStateException stop = new IllegalStateException("the job was cancelled");

        Throwable thrown = catchThrowableOfType(() -> model(protocol, "model-a").stream(PROMPT, delta -> {
            throw stop;
        }), IllegalStateException.class);

        assertThat(thrown).isSameAs(stop);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void a_failing_delta_consumer_stops_the_download(Protocol protocol) {
        int abandonedBefore = server.abandonedStreams();
        server.enqueue(Reply.slowAnswer(Collections.nCopies(40, "word "), 10, 40, Duration.ofMillis(100)));

        catchThrowableOfType(() -> model(protocol, "model-a").stream(PROMPT, delta -> {
            throw new IllegalStateException("cancelled");
        }), IllegalStateException.class);

        // The fake notices when a write fails; 40 pauses of 0.1 s would end the answer after 4 s.
        await().atMost(Duration.ofSeconds(3)).until(() -> server.abandonedStreams() > abandonedBefore);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void an_answer_slower_than_its_timeout_is_transient_and_its_download_stopped(Protocol protocol) {
        int abandonedBefore = server.abandonedStreams();
        server.enqueue(Reply.slowAnswer(Collections.nCopies(40, "word "), 10, 40, Duration.ofMillis(100)));
        LanguageModel model = provider(protocol, FakeChatServer.API_KEY)
                .model("model-a", JsonNodeFactory.instance.objectNode().put("timeout", "PT1S"));

        LanguageModelException failure = catchThrowableOfType(() -> model.stream(PROMPT, delta -> { }),
                LanguageModelException.class);

        assertThat(failure).isNotNull();
        assertThat(failure.transientFailure()).as(failure.getMessage()).isTrue();
        await().atMost(Duration.ofSeconds(3)).until(() -> server.abandonedStreams() > abandonedBefore);
    }

    private static LanguageModelException failure(Protocol protocol, String model) {
        LanguageModelException failure = catchThrowableOfType(
                () -> model(protocol, model).stream(PROMPT, delta -> { }), LanguageModelException.class);
        assertThat(failure).as("a LanguageModelException").isNotNull();
        return failure;
    }
}
