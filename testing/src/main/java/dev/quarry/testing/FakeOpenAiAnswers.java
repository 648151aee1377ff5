package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.quarry.testing.FakeOpenAiServer.Fault;
import dev.quarry.testing.FakeOpenAiServer.Malformed;
import dev.quarry.testing.FakeOpenAiServer.QuotaExhausted;
import dev.quarry.testing.FakeOpenAiServer.ServerError;
import dev.quarry.testing.FakeOpenAiServer.Slow;
import dev.quarry.testing.FakeOpenAiServer.TooManyRequests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@link FakeOpenAiServer}'s answers: OpenAI's validation and error bodies, the scripted faults, the embeddings. */
final class FakeOpenAiAnswers {
    /** Native dimensions of the models the fake knows; {@code dimensions} may shorten the v3 models' vectors. */
    private static final Map<String, Integer> MODELS = Map.of(
            "text-embedding-3-small", 1536, "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536);
    private static final int MAX_INPUTS = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeOpenAiAnswers() {
    }

    static final class Answer {
        int status = 200;
        String body = "";
        final Map<String, String> headers = new HashMap<>();
        String model;
        List<String> inputs = List.of();
        Integer dimensions;
    }

    static Answer answer(HttpExchange exchange, byte[] body, Supplier<Fault> nextFault) {
        Answer answer = new Answer();
        if (!exchange.getRequestMethod().equals("POST")) {
            return error(answer, 405, "invalid_request_error", null, "Use POST for /v1/embeddings.");
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + FakeOpenAiServer.API_KEY)) {
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
        Fault fault = nextFault.get();
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

    private static Answer embeddings(Answer answer, String encoding) {
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
        if (answer.inputs.stream().anyMatch(i -> FakeEmbeddings.tokenCount(i) > FakeOpenAiServer.MAX_INPUT_TOKENS)) {
            return error(answer, 400, "invalid_request_error", null, "This model's maximum context length is "
                    + FakeOpenAiServer.MAX_INPUT_TOKENS + " tokens, however you requested more. Please reduce your prompt.");
        }
        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int i = 0; i < answer.inputs.size(); i++) {
            String text = answer.inputs.get(i);
            tokens += FakeEmbeddings.tokenCount(text);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] vector = FakeEmbeddings.vectorFor(text, dimensions);
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
}
