package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.FakeOpenAiServer.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fake speaks enough of the OpenAI embeddings API for clients to be tested against it. */
class FakeOpenAiServerTest {
    private static final FakeOpenAiServer openAi = FakeOpenAiServer.start();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        openAi.close();
    }

    @BeforeEach
    void reset() {
        openAi.reset();
    }

    @Test
    void embeds_an_array_of_inputs_with_requested_dimensions_and_usage() throws Exception {
        HttpResponse<String> response = post("{\"model\":\"text-embedding-3-small\",\"dimensions\":384,"
                + "\"input\":[\"the wing stalls\",\"the wing stalls\",\"boundary layer transition\"]}", true);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data")).hasSize(3);
        assertThat(body.path("data").get(2).path("index").asInt()).isEqualTo(2);
        float[] first = vector(body, 0);
        assertThat(first).hasSize(384);
        assertThat(dot(first, first)).isCloseTo(1.0, within(1e-4));
        assertThat(vector(body, 1)).containsExactly(first);
        assertThat(dot(first, vector(body, 2))).isLessThan(0.9);
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(3 + 3 + 3);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void related_texts_are_closer_than_unrelated_ones() {
        float[] wing = FakeOpenAiServer.vectorFor("supersonic wing flutter", 1536);
        float[] wings = FakeOpenAiServer.vectorFor("flutter of supersonic wings", 1536);
        float[] soup = FakeOpenAiServer.vectorFor("tomato soup recipe", 1536);
        assertThat(dot(wing, wings)).isGreaterThan(dot(wing, soup) + 0.3);
    }

    @Test
    void answers_base64_when_asked() throws Exception {
        HttpResponse<String> response = post("{\"model\":\"text-embedding-3-small\",\"input\":\"hello\","
                + "\"encoding_format\":\"base64\"}", true);

        byte[] bytes = Base64.getDecoder().decode(JSON.readTree(response.body()).path("data").get(0).path("embedding").asText());
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.length / 4];
        for (int i = 0; i < vector.length; i++) vector[i] = buffer.getFloat();
        assertThat(vector).containsExactly(FakeOpenAiServer.vectorFor("hello", 1536));
    }

    @Test
    void rejects_a_missing_key_and_unknown_models() throws Exception {
        assertThat(post("{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}", false).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = post("{\"model\":\"no-such-model\",\"input\":\"x\"}", true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").path("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void plays_scripted_faults_in_order_then_answers_normally() throws Exception {
        openAi.enqueue(Fault.tooManyRequests(Duration.ofMillis(1500)), Fault.serverError(503), Fault.malformedBody());
        String request = "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}";

        HttpResponse<String> tooMany = post(request, true);
        assertThat(tooMany.statusCode()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(tooMany.headers().firstValue("retry-after-ms")).hasValue("1500");
        assertThat(post(request, true).statusCode()).isEqualTo(503);
        HttpResponse<String> malformed = post(request, true);
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThat(malformed.body()).doesNotEndWith("}");
        assertThat(post(request, true).statusCode()).isEqualTo(200);
        assertThat(openAi.requests()).extracting(FakeOpenAiServer.RecordedRequest::status)
                .containsExactly(429, 503, 200, 200);
    }

    @Test
    void fails_every_request_until_reset() throws Exception {
        openAi.failEveryRequestWith(Fault.serverError(500));
        String request = "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}";
        assertThat(post(request, true).statusCode()).isEqualTo(500);
        assertThat(post(request, true).statusCode()).isEqualTo(500);
        openAi.reset();
        assertThat(post(request, true).statusCode()).isEqualTo(200);
        assertThat(openAi.requestCount()).isEqualTo(1);
    }

    @Test
    void a_slow_answer_makes_a_client_with_a_shorter_timeout_give_up() {
        openAi.enqueue(Fault.slow(Duration.ofSeconds(2)));
        HttpRequest request = request("{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}", true)
                .timeout(Duration.ofMillis(200)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
    }

    private HttpResponse<String> post(String body, boolean withKey) throws Exception {
        return http.send(request(body, withKey).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String body, boolean withKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(openAi.baseUrl() + "/embeddings"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (withKey) builder.header("Authorization", "Bearer " + openAi.apiKey());
        return builder;
    }

    private static float[] vector(JsonNode body, int index) {
        JsonNode values = body.path("data").get(index).path("embedding");
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) vector[i] = (float) values.get(i).asDouble();
        return vector;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
        return sum;
    }
}
