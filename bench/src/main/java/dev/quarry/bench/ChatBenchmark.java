package dev.quarry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testing.FakeChatServer;
import dev.quarry.testing.FakeChatServer.Protocol;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.Stats;
import dev.quarry.testing.Tokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * bin/quarry bench chat: Quarry's first-token overhead. The stack runs with OpenAI pointed at a
 * {@link FakeChatServer} that this benchmark serves on {@code --fake-port}, every answer's first token coming
 * after a fixed {@code --first-token-ms} (200). Per run, one after the other:
 * <ul>
 *   <li><b>the fake itself (reference):</b> a streaming chat request straight to the fake, from sending it to
 *       the first chunk with content;</li>
 *   <li><b>Quarry:</b> from sending {@code POST /api/v1/conversations/{id}/chat} to the first {@code delta} on the
 *       CHAT job's SSE stream (opened right after the 202): the job's hand-over and pickup, the grounding (the
 *       query's embedding and the hybrid search), the provider call, the delta batching and the event's way
 *       through {@code job_events} and the stream.</li>
 * </ul>
 * Both wait for the same fixed first-token delay, so their difference is what Quarry adds. Each Quarry probe
 * waits for its job to finish before the next starts. One small document is uploaded first, so the question
 * has a passage to ground on.
 */
public final class ChatBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Args args;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ChatBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new ChatBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int runs = Integer.parseInt(args.get("runs", "50"));
        Duration firstToken = Duration.ofMillis(Long.parseLong(args.get("first-token-ms", "200")));
        String tenant = "bench-chat-" + Long.toString(System.currentTimeMillis(), 36);
        String token = Tokens.forBenchmark(args.get("jwt-secret"), tenant);
        QuarryClient client = new QuarryClient(args.get("api"), token);
        List<Double> fake = new ArrayList<>();
        List<Double> quarry = new ArrayList<>();
        try (FakeChatServer server = FakeChatServer.start(Integer.parseInt(args.get("fake-port")));
             Connection db = CranfieldIngest.connect(args)) {
            PickupBenchmark.awaitDone(db, client.upload("chat-bench.txt", "Quarry answers questions about your "
                    + "documents with citations, streaming the answer as it is written.", "{}", tenant + "-doc"));
            String thread = newThread(token);
            FakeChatServer.Reply slow = FakeChatServer.Reply.slowAnswer(List.of("Quarry ", "streams ", "answers."),
                    20, 3, firstToken);
            for (int i = 0; i < runs; i++) {
                server.enqueue(slow);
                fake.add(direct(server));
                server.enqueue(slow);
                UUID job = throughQuarry(token, thread, tenant + "-" + i, quarry);
                PickupBenchmark.awaitDone(db, job);
            }
        }
        report(runs, firstToken, quarry, fake);
    }

    private String newThread(String token) throws IOException, InterruptedException {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(args.get("api") + "/api/v1/conversations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"bench chat\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) throw new IllegalStateException("thread refused: " + created.body());
        return JSON.readTree(created.body()).path("id").asText();
    }

    /** Milliseconds from sending a streaming request to the fake to its first chunk with content. */
    private double direct(FakeChatServer server) throws IOException, InterruptedException {
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl(Protocol.OPENAI) + "/chat/completions"))
                .header("Authorization", "Bearer " + FakeChatServer.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        return untilLine(response, start, line -> line.startsWith("data:") && line.matches(".*\"content\":\"[^\"]+\".*"));
    }

    /** Adds the milliseconds from sending the question to the first delta on its job's stream; returns the job. */
    private UUID throughQuarry(String token, String thread, String key, List<Double> into)
            throws IOException, InterruptedException {
        HttpRequest ask = HttpRequest.newBuilder(URI.create(args.get("api") + "/api/v1/conversations/" + thread + "/chat"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"How does Quarry answer questions?\"}")).build();
        long start = System.nanoTime();
        HttpResponse<String> accepted = http.send(ask, HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) throw new IllegalStateException("chat refused: " + accepted.body());
        UUID job = UUID.fromString(JSON.readTree(accepted.body()).path("jobId").asText());
        HttpRequest events = HttpRequest.newBuilder(URI.create(args.get("api") + "/api/v1/jobs/" + job + "/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> stream = http.send(events, HttpResponse.BodyHandlers.ofLines());
        into.add(untilLine(stream, start, line -> line.startsWith("data:") && line.contains("\"delta\"")));
        return job;
    }

    /** Reads lines until one matches, closes the stream and returns the milliseconds since {@code start}. */
    private static double untilLine(HttpResponse<Stream<String>> response, long start, Predicate<String> wanted) {
        if (response.statusCode() != 200) throw new IllegalStateException("stream refused: HTTP " + response.statusCode());
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                if (wanted.test(it.next())) return (System.nanoTime() - start) / 1e6;
            }
        }
        throw new IllegalStateException("the stream ended before its first token");
    }

    private static void report(int runs, Duration firstToken, List<Double> quarry, List<Double> fake) {
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < runs; i++) differences.add(quarry.get(i) - fake.get(i));
        System.out.println();
        System.out.printf("| time to first token, fake model's first token after %d ms | runs | p50 ms | p95 ms | max ms |%n",
                firstToken.toMillis());
        System.out.println("|---|---:|---:|---:|---:|");
        row("Quarry: POST …/chat → first delta on the job's SSE stream", quarry);
        row("reference: the fake provider, streaming request → first content chunk", fake);
        row("Quarry − reference, per run", differences);
        System.out.printf("%nQuarry / reference: p50 %.2f ×, p95 %.2f ×. machine: %d cores, %d MB heap max; java %s%n",
                Stats.median(quarry) / Stats.median(fake), Stats.percentile(quarry, 95) / Stats.percentile(fake, 95),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
    }

    private static void row(String what, List<Double> ms) {
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", what, ms.size(), Stats.median(ms),
                Stats.percentile(ms, 95), Collections.max(ms));
    }
}
