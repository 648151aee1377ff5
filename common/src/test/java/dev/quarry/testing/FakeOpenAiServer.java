package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
    /** Native dimensions of the models the fake knows; {@code dimensions} may shorten the v3 models' vectors. */
    private static final Map<String, Integer> MODELS = Map.of(
            "text-embedding-3-small", 1536, "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536);
    private static final int MAX_INPUTS = 2048;
    /** Tokens one input may have, as OpenAI's embedding models. */
    public static final int MAX_INPUT_TOKENS = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private void handle(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Answer answer = answer(exchange, body);
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

    private static final class Answer {
        int status = 200;
        String body = "";
        final Map<String, String> headers = new java.util.HashMap<>();
        String model;
        List<String> inputs = List.of();
        Integer dimensions;
    }

    private Answer answer(HttpExchange exchange, byte[] body) {
        Answer answer = new Answer();
        if (!exchange.getRequestMethod().equals("POST")) {
            return error(answer, 405, "invalid_request_error", null, "Use POST for /v1/embeddings.");
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + API_KEY)) {
            return error(answer, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return error(answer, 400, "invalid_request_error", null, "We could not parse the JSON body of your request.");
        }
        if (request == null || !request.isObject()) {
            return error(answer, 400, "invalid_request_error", null, "The request body must be a JSON object.");
        }
        answer.model = request.path("model").asText(null);
        answer.dimensions = request.hasNonNull("dimensions") ? request.get("dimensions").asInt() : null;
        JsonNode input = request.get("input");
        if (input != null && input.isTextual()) {
            answer.inputs = List.of(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            List<String> inputs = new ArrayList<>();
            for (JsonNode i : input) {
                if (!i.isTextual()) {
                    return error(answer, 400, "invalid_request_error", null, "The fake accepts only string inputs.");
                }
                inputs.add(i.asText());
            }
            answer.inputs = List.copyOf(inputs);
        } else {
            return error(answer, 400, "invalid_request_error", null, "'input' must be a string or a non-empty array.");
        }
        Fault fault = script.poll();
        if (fault == null) fault = everyRequest;
        if (fault instanceof TooManyRequests tooMany) {
            long millis = tooMany.retryAfter().toMillis();
            answer.headers.put("Retry-After", Long.toString((millis + 999) / 1000));
            answer.headers.put("retry-after-ms", Long.toString(millis));
            return error(answer, 429, "requests", "rate_limit_exceeded", "Rate limit reached for requests.");
        }
        if (fault instanceof QuotaExhausted) {
            return error(answer, 429, "insufficient_quota", "insufficient_quota",
                    "You exceeded your current quota, please check your plan and billing details.");
        }
        if (fault instanceof ServerError serverError) {
            return error(answer, serverError.status(), "server_error", null, "The server had an error.");
        }
        if (fault instanceof Malformed malformed) {
            answer.body = malformed.body();
            return answer;
        }
        if (fault instanceof Slow slow) {
            try {
                Thread.sleep(slow.delay().toMillis()); // the fake's own latency, not a test waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return embeddings(answer, request.path("encoding_format").asText("float"));
    }

    private Answer embeddings(Answer answer, String encoding) {
        Integer nativeDimensions = MODELS.get(answer.model);
        if (nativeDimensions == null) {
            return error(answer, 404, "invalid_request_error", "model_not_found",
                    "The model `" + answer.model + "` does not exist or you do not have access to it.");
        }
        int dimensions = answer.dimensions == null ? nativeDimensions : answer.dimensions;
        if (answer.dimensions != null && (answer.model.equals("text-embedding-ada-002")
                || dimensions < 1 || dimensions > nativeDimensions)) {
            return error(answer, 400, "invalid_request_error", null, "Invalid 'dimensions' for " + answer.model + ".");
        }
        if (answer.inputs.size() > MAX_INPUTS) {
            return error(answer, 400, "invalid_request_error", null, "'input' has more than " + MAX_INPUTS + " items.");
        }
        if (answer.inputs.stream().anyMatch(String::isEmpty)) {
            return error(answer, 400, "invalid_request_error", null, "'input' cannot contain an empty string.");
        }
        if (answer.inputs.stream().anyMatch(i -> tokenCount(i) > MAX_INPUT_TOKENS)) {
            return error(answer, 400, "invalid_request_error", null, "This model's maximum context length is "
                    + MAX_INPUT_TOKENS + " tokens, however you requested more. Please reduce your prompt.");
        }
        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int i = 0; i < answer.inputs.size(); i++) {
            String text = answer.inputs.get(i);
            tokens += tokenCount(text);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] vector = vectorFor(text, dimensions);
            if (encoding.equals("base64")) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) bytes.putFloat(v);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) values.add(v);
            }
        }
        response.put("model", answer.model);
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        answer.body = response.toString();
        return answer;
    }

    private static Answer error(Answer answer, int status, String type, String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        answer.status = status;
        answer.body = error.toString();
        return answer;
    }

    /** The fake's token count: words and punctuation marks. */
    public static int tokenCount(String text) {
        return (int) java.util.regex.Pattern.compile("\\w+|[^\\w\\s]").matcher(text).results().count();
    }

    /** The vector the fake returns for {@code text}: unit length, the same for equal texts. */
    public static float[] vectorFor(String text, int dimensions) {
        float[] vector = new float[dimensions];
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        for (String word : lower.split("\\W+")) {
            if (word.isEmpty()) continue;
            add(vector, "w:" + word, 2f);
            String padded = " " + word + " ";
            for (int i = 0; i + 3 <= padded.length(); i++) add(vector, "t:" + padded.substring(i, i + 3), 1f);
        }
        add(vector, "all:" + lower, 0.5f); // texts without word characters still get a vector of their own
        double norm = 0;
        for (float v : vector) norm += v * v;
        if (norm == 0) {
            vector[0] = 1; // every feature cancelled out; still a unit vector
            return vector;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) vector[i] *= scale;
        return vector;
    }

    private static void add(float[] vector, String feature, float weight) {
        int hash = mix(feature.hashCode());
        int index = Math.floorMod(hash, vector.length);
        vector[index] += (mix(hash) & 1) == 0 ? weight : -weight;
    }

    /** Murmur3's finalizer: spreads String.hashCode, whose low bits are poor for short strings. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
