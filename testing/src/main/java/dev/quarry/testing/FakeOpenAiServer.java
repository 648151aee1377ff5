package dev.quarry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
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

/**
 * A real local HTTP server that speaks the OpenAI embeddings API ({@code POST /v1/embeddings}), for tests of
 * code that calls OpenAI. It checks the bearer key, accepts {@code input} as a string or an array of strings,
 * {@code model}, {@code dimensions} and {@code encoding_format} ({@code float} or {@code base64}), and answers
 * like OpenAI, errors included ({@code {"error":{message,type,code}}}).
 * <p>
 * Vectors are deterministic and unit length: hashed word and character-trigram features of the text, so equal
 * texts get equal vectors and texts sharing words point in similar directions. {@code usage.prompt_tokens}
 * is {@link #tokenCount}: words and punctuation marks, a stand-in for OpenAI's tokenizer.
 * <p>
 * Faults are scripted: {@link #enqueue} answers the next requests with the given faults, in order;
 * {@link #failEveryRequestWith} answers every request after those with one fault until {@link #reset}. Every
 * request is recorded with monotonic timestamps ({@link #requests}), so tests can assert on what the client
 * did (e.g. that it waited for {@code Retry-After}) instead of on their own clock.
 * <pre>{@code
 * try (var openAi = FakeOpenAiServer.start()) {
 *     openAi.enqueue(Fault.tooManyRequests(Duration.ofSeconds(1)), Fault.serverError(503));
 *     // point the client at openAi.baseUrl() with openAi.apiKey() ...
 *     assertThat(openAi.requestCount()).isEqualTo(3);
 * }
 * }</pre>
 */
public final class FakeOpenAiServer implements AutoCloseable {
    public static final String API_KEY = "sk-quarry-fake-test-key";
    /** Tokens one input may have, as OpenAI's embedding models. */
    public static final int MAX_INPUT_TOKENS = 8192;

    /** How the fake answers one request instead of embedding. */
    public sealed interface Fault {
        /** 429 with {@code Retry-After} in whole seconds (rounded up) and {@code retry-after-ms}. */
        static Fault tooManyRequests(Duration retryAfter) {
            return new TooManyRequests(retryAfter);
        }

        /** 429 with code {@code insufficient_quota}: the account's credit is used up, no waiting helps. */
        static Fault quotaExhausted() {
            return new QuotaExhausted();
        }

        /** A 5xx (500, 502, 503...) with an OpenAI error body. */
        static Fault serverError(int status) {
            return new ServerError(status);
        }

        /** A correct answer, after {@code delay}: long enough, it makes the client time out. */
        static Fault slow(Duration delay) {
            return new Slow(delay);
        }

        /** A 200 whose body is not the embeddings JSON. */
        static Fault malformedBody() {
            return new Malformed("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embe");
        }

        /** A 200 with a well-formed JSON body that lacks the embeddings. */
        static Fault wrongShape() {
            return new Malformed("{\"object\":\"list\",\"model\":\"text-embedding-3-small\"}");
        }
    }

    record TooManyRequests(Duration retryAfter) implements Fault {
    }

    record QuotaExhausted() implements Fault {
    }

    record ServerError(int status) implements Fault {
    }

    record Slow(Duration delay) implements Fault {
    }

    record Malformed(String body) implements Fault {
    }

    /**
     * One request as the fake saw it. Times are {@link System#nanoTime()} values: {@code receivedNanos} when the
     * request arrived, {@code answeredNanos} when its response was sent (after any delay).
     */
    public record RecordedRequest(long receivedNanos, long answeredNanos, String model, List<String> inputs,
                                  Integer dimensions, int status) {
        /** Time from the end of {@code earlier}'s response to the arrival of this request. */
        public Duration sinceAnswerOf(RecordedRequest earlier) {
            return Duration.ofNanos(receivedNanos - earlier.answeredNanos);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-openai");
        t.setDaemon(true);
        return t;
    });
    private final Queue<Fault> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile Fault everyRequest;

    private FakeOpenAiServer(HttpServer server) {
        this.server = server;
        server.createContext("/v1/embeddings", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts on a free port of the loopback interface. */
    public static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake OpenAI server", e);
        }
    }

    /** The API base URL, as OpenAI's {@code https://api.openai.com/v1}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/v1";
    }

    public String apiKey() {
        return API_KEY;
    }

    /** Answers the next requests with these faults, one each, in order; then normally again. */
    public FakeOpenAiServer enqueue(Fault... faults) {
        script.addAll(List.of(faults));
        return this;
    }

    /** Answers every request (after the enqueued faults) with {@code fault}, until {@link #reset}. */
    public FakeOpenAiServer failEveryRequestWith(Fault fault) {
        everyRequest = fault;
        return this;
    }

    /** Forgets scripted faults and recorded requests. */
    public void reset() {
        script.clear();
        everyRequest = null;
        requests.clear();
    }

    public int requestCount() {
        return requests.size();
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Sum of {@code prompt_tokens} over the successful answers. */
    public long tokensServed() {
        return requests.stream().filter(r -> r.status() == 200)
                .flatMap(r -> r.inputs().stream()).mapToLong(FakeOpenAiServer::tokenCount).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Fault nextFault() {
        Fault fault = script.poll();
        return fault == null ? everyRequest : fault;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            FakeOpenAiAnswers.Answer answer = FakeOpenAiAnswers.answer(exchange, body, this::nextFault);
            long answered = System.nanoTime();
            // Recorded before the response is written, so a test that saw the response also sees the record.
            requests.add(new RecordedRequest(received, answered, answer.model, answer.inputs, answer.dimensions,
                    answer.status));
            answer.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // The client gave up (e.g. timed out on a slow answer): nobody is left to answer.
        }
    }

    /** The fake's token count: words and punctuation marks. */
    public static int tokenCount(String text) {
        return FakeEmbeddings.tokenCount(text);
    }

    /** The vector the fake returns for {@code text}: unit length, the same for equal texts. */
    public static float[] vectorFor(String text, int dimensions) {
        return FakeEmbeddings.vectorFor(text, dimensions);
    }
}
