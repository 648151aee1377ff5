package dev.quarry.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A langchain4j {@link StreamingChatModel} as Quarry's {@link LanguageModel}: the deltas go to the caller as they
 * arrive, the whole answer and its usage come back, and every failure becomes a {@link LanguageModelException}
 * classified for the retry policy. The built-in providers (OpenAI, Anthropic, Gemini) differ only in how they
 * build the langchain4j model.
 * <p>
 * A stream that ends without the provider's end marker (no finish reason) is a cut stream, transient, even when
 * langchain4j reports it as complete: the text so far is not the answer.
 */
public class StreamingLanguageModel implements LanguageModel {
    /** How long after the body ended langchain4j may still deliver the finished answer. */
    private static final Duration END_GRACE = Duration.ofMillis(500);
    private final String provider;
    private final String model;
    private final StreamingChatModel chat;
    private final Duration timeout;

    /** @param timeout for the whole answer; the langchain4j model's own timeouts should be no longer */
    public StreamingLanguageModel(String provider, String model, StreamingChatModel chat, Duration timeout) {
        this.provider = provider;
        this.model = model;
        this.chat = chat;
        this.timeout = timeout;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Completion stream(ChatPrompt prompt, Consumer<String> deltas) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        // The stream's handle, from its first delta: a call that gives up (timeout, interrupt) stops the download.
        AtomicReference<StreamingHandle> handle = new AtomicReference<>();
        StringBuilder text = new StringBuilder();
        Runnable streamEnded = () -> CompletableFuture.delayedExecutor(END_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> done.completeExceptionally(new StreamEndedEarly()));
        try {
            ProviderHttp.watchingStreamEnd(streamEnded, () -> chat.chat(
                    ChatRequest.builder().messages(messages(prompt)).build(), new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                    handle.compareAndSet(null, context.streamingHandle());
                    if (done.isDone()) {
                        context.streamingHandle().cancel();
                        return;
                    }
                    String delta = partial.text();
                    if (delta == null || delta.isEmpty()) return;
                    try {
                        synchronized (text) {
                            text.append(delta);
                        }
                        deltas.accept(delta);
                    } catch (RuntimeException e) {
                        done.completeExceptionally(new DeltaConsumerFailed(e));
                        context.streamingHandle().cancel();
                    }
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            }));
        } catch (RuntimeException e) {
            throw failure(e);
        }
        ChatResponse response;
        try {
            response = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            cancel(handle);
            throw new LanguageModelException(name() + " gave no complete answer within " + timeout, true, e);
        } catch (InterruptedException e) {
            cancel(handle);
            Thread.currentThread().interrupt();
            throw new LanguageModelException(name() + ": interrupted while streaming", true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeltaConsumerFailed consumer) throw consumer.getCause();
            if (e.getCause() instanceof StreamEndedEarly) throw cutStream();
            throw failure(e.getCause());
        }
        if (response == null || response.finishReason() == null) throw cutStream();
        String answer;
        synchronized (text) {
            answer = text.toString();
        }
        if (answer.isEmpty() && response.aiMessage() != null && response.aiMessage().text() != null) {
            answer = response.aiMessage().text();
        }
        TokenUsage usage = response.tokenUsage();
        return new Completion(answer, count(usage == null ? null : usage.inputTokenCount()),
                count(usage == null ? null : usage.outputTokenCount()),
                response.finishReason().name().toLowerCase(Locale.ROOT));
    }

    /** Classifies a provider failure: 408, 409, 429, 5xx, I/O and timeouts may pass; 400, 401, 403, 404 will not. */
    LanguageModelException failure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                int status = http.statusCode();
                boolean transientStatus = status == 408 || status == 409 || status == 429 || status >= 500;
                return new LanguageModelException(name() + " answered HTTP " + status + ": " + brief(http),
                        transientStatus, error);
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException || cause instanceof IOException
                    || cause instanceof UncheckedIOException || cause instanceof TimeoutException
                    || cause instanceof java.net.http.HttpTimeoutException) {
                return new LanguageModelException(name() + " failed: " + brief(cause), true, error);
            }
            if (cause instanceof NonRetriableException) {
                return new LanguageModelException(name() + " refused: " + brief(cause), false, error);
            }
        }
        return new LanguageModelException(name() + " failed: " + brief(error), false, error);
    }

    private static void cancel(AtomicReference<StreamingHandle> handle) {
        StreamingHandle stream = handle.get();
        if (stream != null) stream.cancel();
    }

    private LanguageModelException cutStream() {
        return new LanguageModelException(name() + ": the stream ended before the model finished its answer",
                true, null);
    }

    private String name() {
        return provider + "/" + model;
    }

    private static String brief(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static long count(Integer tokens) {
        return tokens == null ? 0 : tokens;
    }

    /**
     * The prompt in langchain4j's messages. A {@code tool} message carries no tool-call id here, so it is sent
     * as user text marked as a tool's output.
     */
    static List<ChatMessage> messages(ChatPrompt prompt) {
        return prompt.messages().stream().map(message -> switch (message.role()) {
            case "system" -> (ChatMessage) SystemMessage.from(message.content());
            case "assistant" -> AiMessage.from(message.content());
            case "user" -> UserMessage.from(message.content());
            case "tool" -> UserMessage.from("Tool output:\n" + message.content());
            default -> throw new IllegalArgumentException("unknown prompt role " + message.role());
        }).toList();
    }

    /** The body ended and, after {@link #END_GRACE}, langchain4j still had not finished the answer. */
    private static final class StreamEndedEarly extends RuntimeException {
        StreamEndedEarly() {
            super(null, null, false, false);
        }
    }

    /** A failure of the caller's delta consumer, passed through unchanged (it is not the provider's). */
    private static final class DeltaConsumerFailed extends RuntimeException {
        DeltaConsumerFailed(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }
}
