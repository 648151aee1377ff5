package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP server that speaks the streaming chat protocols of OpenAI, Anthropic and Google Gemini, for
 * tests of code that calls them:
 * <ul>
 *   <li>OpenAI: {@code POST /v1/chat/completions} with {@code stream: true}; {@code chat.completion.chunk} events,
 *       the usage in a last chunk when {@code stream_options.include_usage} asks for it, then {@code [DONE]};</li>
 *   <li>Anthropic: {@code POST /v1/messages} with {@code stream: true}; {@code message_start},
 *       {@code content_block_start}, {@code content_block_delta}s, {@code content_block_stop},
 *       {@code message_delta} (stop reason, output tokens) and {@code message_stop};</li>
 *   <li>Gemini: {@code POST /v1beta/models/<model>:streamGenerateContent?alt=sse}; one
 *       {@code GenerateContentResponse} per event, the last with {@code finishReason} and {@code usageMetadata}.</li>
 * </ul>
 * Each checks its key ({@link #API_KEY}) where the provider sends it and answers errors in the provider's own
 * shape: a wrong key, the model {@link #UNKNOWN_MODEL}, and the scripted {@link Reply#status} (429, 5xx...).
 * {@link Reply#cut} sends part of an answer and then drops the connection mid-stream, without the end marker;
 * {@link Reply#endedEarly} ends the body cleanly after part of an answer, as a proxy that gave up might.
 */
public final class FakeChatServer implements AutoCloseable {
    public static final String API_KEY = "fake-chat-test-key";
    public static final String UNKNOWN_MODEL = "no-such-model";
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Protocol { OPENAI, ANTHROPIC, GEMINI }

    /** How the fake answers one request. */
    public sealed interface Reply {
        /** A whole answer streamed as these deltas, reporting these token counts. */
        static Reply answer(List<String> deltas, int inputTokens, int outputTokens) {
            return new Answer(List.copyOf(deltas), inputTokens, outputTokens, Duration.ZERO);
        }

        /** As {@link #answer}, with {@code pause} before each delta: a slow model, or one a client leaves. */
        static Reply slowAnswer(List<String> deltas, int inputTokens, int outputTokens, Duration pause) {
            return new Answer(List.copyOf(deltas), inputTokens, outputTokens, pause);
        }

        /** An error status with the provider's error body (429 also with {@code Retry-After: 1}). */
        static Reply status(int status) {
            return new Status(status);
        }

        /** These deltas, then the connection is dropped before the stream's end. */
        static Reply cut(List<String> deltas) {
            return new Cut(List.copyOf(deltas), true);
        }

        /** These deltas, then the response ends cleanly but without the provider's end (no finish, no usage). */
        static Reply endedEarly(List<String> deltas) {
            return new Cut(List.copyOf(deltas), false);
        }
    }

    public record Answer(List<String> deltas, int inputTokens, int outputTokens, Duration pause) implements Reply {
    }

    public record Status(int status) implements Reply {
    }

    /** @param abrupt true: the connection drops mid-body; false: the body ends, the answer does not */
    public record Cut(List<String> deltas, boolean abrupt) implements Reply {
    }

    /** One request as the fake received it. */
    public record RecordedRequest(Protocol protocol, String path, String model, JsonNode body) {
    }

    /** The reply when nothing is scripted. */
    public static final Answer DEFAULT_ANSWER = new Answer(List.of("Quarry ", "streams ", "answers."), 12, 3,
            Duration.ZERO);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-chat");
        t.setDaemon(true);
        return t;
    });
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger abandonedStreams = new AtomicInteger();

    private FakeChatServer(HttpServer server) {
        this.server = server;
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, Protocol.OPENAI));
        server.createContext("/v1/messages", exchange -> handle(exchange, Protocol.ANTHROPIC));
        server.createContext("/v1beta/models/", exchange -> handle(exchange, Protocol.GEMINI));
        server.setExecutor(executor);
        server.start();
    }

    /** Starts on a free port of the loopback interface. */
    public static FakeChatServer start() {
        return start(0);
    }

    /** Starts on {@code port} of the loopback interface (0: a free one), e.g. one a stack was configured with. */
    public static FakeChatServer start(int port) {
        try {
            return new FakeChatServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake chat server", e);
        }
    }

    /** The base URL as each provider's client expects it: {@code .../v1} or, for Gemini, {@code .../v1beta}. */
    public String baseUrl(Protocol protocol) {
        String root = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
        return protocol == Protocol.GEMINI ? root + "/v1beta" : root + "/v1";
    }

    /** Answers the next requests with these replies, one each, in order; then with {@link #DEFAULT_ANSWER}. */
    public FakeChatServer enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Answers whose client closed the connection before the fake had sent everything. */
    public int abandonedStreams() {
        return abandonedStreams.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange, Protocol protocol) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        JsonNode body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        String path = exchange.getRequestURI().getPath();
        String model = protocol == Protocol.GEMINI
                ? path.substring("/v1beta/models/".length()).replaceFirst(":streamGenerateContent$", "")
                : body.path("model").asText();
        requests.add(new RecordedRequest(protocol, exchange.getRequestURI().toString(), model, body));
        if (!"POST".equals(exchange.getRequestMethod())) {
            error(exchange, protocol, 405, "method not allowed");
            return;
        }
        if (!API_KEY.equals(key(exchange, protocol))) {
            error(exchange, protocol, protocol == Protocol.GEMINI ? 400 : 401, "invalid API key");
            return;
        }
        if (protocol == Protocol.GEMINI ? !path.endsWith(":streamGenerateContent")
                || !"alt=sse".equals(exchange.getRequestURI().getQuery())
                : !body.path("stream").asBoolean(false)) {
            error(exchange, protocol, 400, "this fake answers streaming requests only");
            return;
        }
        if (UNKNOWN_MODEL.equals(model)) {
            error(exchange, protocol, 404, "model " + model + " does not exist");
            return;
        }
        Reply reply = script.poll();
        if (reply == null) reply = DEFAULT_ANSWER;
        if (reply instanceof Status status) {
            error(exchange, protocol, status.status(), "scripted failure " + status.status());
        } else if (reply instanceof Answer answer) {
            try {
                stream(exchange, protocol, model, body, answer.deltas(), answer, true);
            } catch (IOException e) {
                abandonedStreams.incrementAndGet();
                throw e;
            }
        } else if (reply instanceof Cut cut) {
            stream(exchange, protocol, model, body, cut.deltas(), null, false);
            if (cut.abrupt()) throw new IllegalStateException("scripted cut: the fake drops the connection mid-stream");
            exchange.close();
        }
    }

    private static String key(HttpExchange exchange, Protocol protocol) {
        return switch (protocol) {
            case OPENAI -> {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                yield authorization != null && authorization.startsWith("Bearer ")
                        ? authorization.substring("Bearer ".length()) : null;
            }
            case ANTHROPIC -> exchange.getRequestHeaders().getFirst("x-api-key");
            case GEMINI -> exchange.getRequestHeaders().getFirst("x-goog-api-key");
        };
    }

    /**
     * Streams the deltas; with {@code finished}, also the end (finish reason, usage, end marker) and closes the body.
     * Without it the body stays open for the caller to end cleanly or to drop.
     */
    private void stream(HttpExchange exchange, Protocol protocol, String model, JsonNode request, List<String> deltas,
                        Answer usage, boolean finished) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        switch (protocol) {
            case OPENAI -> {
                event(out, null, openAiChunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""),
                        null));
                for (String delta : deltas) {
                    pause(usage);
                    event(out, null, openAiChunk(model, JSON.createObjectNode().put("content", delta), null));
                }
                if (finished) {
                    event(out, null, openAiChunk(model, JSON.createObjectNode(), "stop"));
                    if (request.path("stream_options").path("include_usage").asBoolean(false)) {
                        ObjectNode last = openAiChunk(model, null, null);
                        last.putObject("usage").put("prompt_tokens", usage.inputTokens())
                                .put("completion_tokens", usage.outputTokens())
                                .put("total_tokens", usage.inputTokens() + usage.outputTokens());
                        event(out, null, last);
                    }
                    data(out, null, "[DONE]");
                }
            }
            case ANTHROPIC -> {
                ObjectNode start = JSON.createObjectNode().put("type", "message_start");
                ObjectNode message = start.putObject("message").put("id", "msg_fake").put("type", "message")
                        .put("role", "assistant").put("model", model);
                message.putArray("content");
                message.putNull("stop_reason");
                message.putObject("usage").put("input_tokens", usage == null ? 1 : usage.inputTokens())
                        .put("output_tokens", 1);
                event(out, "message_start", start);
                ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
                blockStart.putObject("content_block").put("type", "text").put("text", "");
                event(out, "content_block_start", blockStart);
                event(out, "ping", JSON.createObjectNode().put("type", "ping"));
                for (String delta : deltas) {
                    pause(usage);
                    ObjectNode event = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
                    event.putObject("delta").put("type", "text_delta").put("text", delta);
                    event(out, "content_block_delta", event);
                }
                if (finished) {
                    event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop")
                            .put("index", 0));
                    ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
                    end.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
                    end.putObject("usage").put("output_tokens", usage.outputTokens());
                    event(out, "message_delta", end);
                    event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
                }
            }
            case GEMINI -> {
                for (int i = 0; i < deltas.size(); i++) {
                    pause(usage);
                    boolean last = finished && i == deltas.size() - 1;
                    event(out, null, geminiChunk(model, deltas.get(i), last ? usage : null));
                }
            }
        }
        out.flush();
        if (finished) out.close();
    }

    private static void pause(Answer answer) throws IOException {
        if (answer == null || answer.pause().isZero()) return;
        try {
            Thread.sleep(answer.pause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the fake was stopped", e);
        }
    }

    private static ObjectNode openAiChunk(String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", model);
        ArrayNode choices = chunk.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) choice.putNull("finish_reason");
            else choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode geminiChunk(String model, String text, Answer usage) {
        ObjectNode chunk = JSON.createObjectNode();
        ObjectNode candidate = chunk.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content").put("role", "model");
        content.putArray("parts").addObject().put("text", text);
        candidate.put("index", 0);
        if (usage != null) {
            candidate.put("finishReason", "STOP");
            chunk.putObject("usageMetadata").put("promptTokenCount", usage.inputTokens())
                    .put("candidatesTokenCount", usage.outputTokens())
                    .put("totalTokenCount", usage.inputTokens() + usage.outputTokens());
        }
        chunk.put("modelVersion", model);
        return chunk;
    }

    private static void event(OutputStream out, String name, JsonNode data) throws IOException {
        data(out, name, JSON.writeValueAsString(data));
    }

    private static void data(OutputStream out, String name, String data) throws IOException {
        String event = (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The provider's error body for {@code status}. */
    private static void error(HttpExchange exchange, Protocol protocol, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        switch (protocol) {
            case OPENAI -> body.putObject("error").put("message", message)
                    .put("type", status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error"
                            : "invalid_request_error")
                    .put("code", status == 404 ? "model_not_found" : status == 401 ? "invalid_api_key" : null);
            case ANTHROPIC -> body.put("type", "error").putObject("error")
                    .put("type", switch (status) {
                        case 401 -> "authentication_error";
                        case 404 -> "not_found_error";
                        case 429 -> "rate_limit_error";
                        case 529 -> "overloaded_error";
                        default -> status >= 500 ? "api_error" : "invalid_request_error";
                    }).put("message", message);
            case GEMINI -> body.putObject("error").put("code", status).put("message", message)
                    .put("status", switch (status) {
                        case 404 -> "NOT_FOUND";
                        case 429 -> "RESOURCE_EXHAUSTED";
                        case 503 -> "UNAVAILABLE";
                        default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
                    });
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (status == 429) exchange.getResponseHeaders().add("Retry-After", "1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
