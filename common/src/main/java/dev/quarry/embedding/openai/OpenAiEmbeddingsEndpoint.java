package dev.quarry.embedding.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST {baseUrl}/embeddings}, one request and its answer, and nothing else: limits, retries, the
 * breaker and the timeout are {@link ResilientOpenAiEmbeddingModel}'s. Written over the JDK's HttpClient
 * rather than langchain4j's OpenAI module because that one does not expose the {@code Retry-After} header of
 * a 429 or 503, which the retries must honour.
 */
final class OpenAiEmbeddingsEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The vectors, in input order, and the tokens OpenAI counted for them. */
    record Answer(List<float[]> vectors, int promptTokens) {
    }

    private final HttpClient http;
    private final URI uri;
    private final String apiKey;
    private final String model;
    private final Integer dimensions;

    OpenAiEmbeddingsEndpoint(HttpClient http, String baseUrl, String apiKey, String model, Integer dimensions) {
        this.http = http;
        this.uri = URI.create(baseUrl.replaceAll("/+$", "") + "/embeddings");
        this.apiKey = apiKey;
        this.model = model;
        this.dimensions = dimensions;
    }

    /**
     * Sends the request. The future is the HTTP client's own, so cancelling it aborts the exchange; it fails
     * with the client's exception (e.g. an {@link IOException}) when no answer came.
     */
    CompletableFuture<HttpResponse<String>> send(List<String> inputs) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("encoding_format", "float");
        if (dimensions != null) body.put("dimensions", dimensions);
        inputs.forEach(body.putArray("input")::add);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Reads an answer to {@code expected} inputs, or throws {@link OpenAiCallFailedException}. */
    Answer read(HttpResponse<String> response, int expected) {
        if (response.statusCode() != 200) {
            JsonNode error = errorOf(response.body());
            String message = error.path("message").asText("");
            if (message.isEmpty()) message = response.body().length() > 200 ? response.body().substring(0, 200) + "…" : response.body();
            throw new OpenAiCallFailedException(response.statusCode(), retryAfter(response.headers()),
                    error.path("code").asText(null), "OpenAI embeddings call answered " + response.statusCode() + ": "
                    + message, null);
        }
        try {
            JsonNode root = JSON.readTree(response.body());
            JsonNode data = root.path("data");
            if (!data.isArray() || data.size() != expected) {
                throw new IOException("expected " + expected + " embeddings in 'data', found "
                        + (data.isArray() ? data.size() : "none"));
            }
            float[][] vectors = new float[expected][];
            for (JsonNode item : data) {
                JsonNode values = item.path("embedding");
                int index = item.path("index").asInt(-1);
                if (!values.isArray() || values.isEmpty() || index < 0 || index >= expected || vectors[index] != null) {
                    throw new IOException("embedding " + index + " is missing, empty or repeated");
                }
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) vector[i] = (float) values.get(i).asDouble();
                vectors[index] = vector;
            }
            return new Answer(List.of(vectors), root.path("usage").path("prompt_tokens").asInt());
        } catch (IOException e) {
            throw new OpenAiCallFailedException(0, null,
                    "OpenAI answered 200 with a body that is not an embeddings response (" + e.getMessage() + ")", e);
        }
    }

    /** The {@code error} object of an OpenAI error body; a missing node when the body is not one. */
    private static JsonNode errorOf(String body) {
        try {
            return JSON.readTree(body).path("error");
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    /** OpenAI sends {@code retry-after-ms}; HTTP's {@code Retry-After} is seconds or an HTTP date. */
    static Duration retryAfter(HttpHeaders headers) {
        try {
            var millis = headers.firstValue("retry-after-ms");
            if (millis.isPresent()) return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.get())));
            var value = headers.firstValue("Retry-After");
            if (value.isEmpty()) return null;
            if (value.get().chars().allMatch(Character::isDigit)) return Duration.ofSeconds(Long.parseLong(value.get()));
            Duration until = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (NumberFormatException | DateTimeParseException e) {
            return null; // an unreadable header is as good as none: the back-off applies
        }
    }
}
