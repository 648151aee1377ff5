package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import static org.awaitility.Awaitility.await;

/**
 * A well-behaved client: uploads documents one after another, each under its own Idempotency-Key, and
 * sends a request again with the same key after a 503 until it is accepted. It records every answer, so
 * a test can check that an outage produced only 503s with Retry-After (never a 500), and what was accepted.
 */
public final class RetryingUploader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI documents;
    private final String token;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();

    /** One answer of the API: its status, Retry-After header, content type and body. */
    public record Answer(int status, String retryAfter, String contentType, String body) {
    }

    public RetryingUploader(int apiPort, String token) {
        this.documents = URI.create("http://localhost:" + apiPort + "/api/v1/documents");
        this.token = token;
    }

    /**
     * Uploads documents {@code from} (inclusive) to {@code to} (exclusive), {@code text.apply(i)} each, and
     * returns the accepted bodies of all uploads so far, in order.
     */
    public List<JsonNode> upload(int from, int to, IntFunction<String> text, Duration patience) {
        for (int i = from; i < to; i++) {
            MultipartBody body = new MultipartBody().file("file", "doc-" + i + ".txt", "text/plain",
                    text.apply(i).getBytes(StandardCharsets.UTF_8));
            String key = "outage-doc-" + i;
            await().atMost(patience).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300))
                    .until(() -> send(key, body));
        }
        return List.copyOf(accepted);
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    public int acceptedCount() {
        return accepted.size();
    }

    public long unavailableCount() {
        return answers.stream().filter(a -> a.status() == 503).count();
    }

    private boolean send(String key, MultipartBody body) throws InterruptedException, IOException {
        HttpRequest request = HttpRequest.newBuilder(documents).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        answers.add(new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                response.headers().firstValue("Content-Type").orElse(null), response.body()));
        if (response.statusCode() == 202) {
            accepted.add(JSON.readTree(response.body()));
            return true;
        }
        if (response.statusCode() == 503) return false;
        throw new AssertionError("upload " + key + " answered " + response.statusCode() + ": " + response.body());
    }
}
