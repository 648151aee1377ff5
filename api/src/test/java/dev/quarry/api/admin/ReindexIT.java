package dev.quarry.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.FakeOpenAiServer;
import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reindexing end to end over real HTTP, with a real worker process (JobRunr, Tika, the in-process models) and, for
 * OpenAI's 1536-dimension version, the fake OpenAI server. The API and worker run with the quantized
 * all-MiniLM-L6-v2 configured and an OpenAI key pointing at the fake.
 */
// Its context (OpenAI key and fake) serves no other class: closing it returns its connections to the shared
// PostgreSQL, whose max_connections every helper's suite shares.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReindexIT extends ApiIntegrationTest {
    static final String QUANTIZED = "all-minilm-l6-v2-q@1";
    static final String FULL = "all-minilm-l6-v2@1";
    static final String OPENAI_1536 = "text-embedding-3-small-1536@1";
    private static final Path SAMPLES = Path.of("..", "samples");
    private static final FakeOpenAiServer OPENAI = FakeOpenAiServer.start();
    private static WorkerProcess worker;

    static Map<String, String> embeddingProperties() {
        return Map.of("quarry.embedding.provider", "minilm-q", "quarry.embedding.version", "",
                "quarry.embedding.openai.api-key", OPENAI.apiKey(), "quarry.embedding.openai.base-url", OPENAI.baseUrl());
    }

    @DynamicPropertySource
    static void openAi(DynamicPropertyRegistry registry) {
        embeddingProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void startWorker() throws Exception {
        Map<String, String> properties = new LinkedHashMap<>(embeddingProperties());
        properties.putAll(Map.of("spring.datasource.hikari.maximum-pool-size", "10",
                "quarry.reindex.max-in-flight", "4", "quarry.reindex.catch-up-interval", "PT1S"));
        worker = TestWorkers.create("reindex", properties);
        worker.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (worker != null) worker.close();
        OPENAI.close();
    }

    @BeforeEach
    void workerRunning() {
        TestWorkers.awaitRunning(jdbc, worker);
    }

    @Test
    void search_answers_throughout_a_reindex_and_switches_once_every_document_is_covered() throws Exception {
        String token = TestTokens.forTenant("reindex-minilm", "admin");
        Map<String, String> documents = ingestSamples(token);
        String fusion = "reciprocal rank fusion combines both result lists";
        String expected = documents.get("hybrid-search.md");

        HttpResponse<String> accepted = reindex(token, "key-1", FULL);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode job = json(accepted);
        String jobId = job.path("jobId").asText();
        assertThat(job.path("sourceVersion").asText()).isEqualTo(QUANTIZED);
        assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);
        HttpResponse<String> replay = reindex(token, "key-1", FULL);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(replay).path("jobId").asText()).isEqualTo(jobId);
        assertProblem(reindex(token, "key-2", FULL), 409, "reindex-in-progress");

        SseClient events = SseClient.open(http, request("/api/v1/jobs/" + jobId + "/events", token)
                .header("Accept", "text/event-stream").GET().build());
        // Ingested while the reindex runs: the switch must wait until it is covered too.
        String late = json(uploadText(token, "zeppelins.txt",
                "Rigid airships were moored to tall masts while hydrogen cells were topped up.")).path("documentId").asText();

        Set<String> versionsSeen = new HashSet<>();
        AtomicInteger searchesWhileRunning = new AtomicInteger();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(50)).until(() -> {
            String status = json(get("/api/v1/jobs/" + jobId, token)).path("status").asText();
            HttpResponse<String> response = get("/api/v1/search?k=5&q=" + encode(fusion), token);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode results = json(response);
            assertThat(results.path("hits").get(0).path("documentId").asText()).as(results.toString()).isEqualTo(expected);
            versionsSeen.add(results.path("embeddingVersion").asText());
            if (status.equals("RUNNING")) searchesWhileRunning.incrementAndGet();
            return status.equals("SUCCEEDED") || status.equals("FAILED");
        });
        assertThat(searchesWhileRunning.get()).isPositive();
        assertThat(versionsSeen).contains(QUANTIZED).isSubsetOf(QUANTIZED, FULL);

        JsonNode finished = json(get("/api/v1/jobs/" + jobId, token));
        assertThat(finished.path("status").asText()).as(finished.toString()).isEqualTo("SUCCEEDED");
        int total = documents.size() + 1;
        assertThat(finished.path("type").asText()).isEqualTo("reindex");
        assertThat(finished.path("progress").path("done").asInt()).isEqualTo(total);
        assertThat(finished.path("progress").path("total").asInt()).isEqualTo(total);
        await().atMost(Duration.ofSeconds(30)).until(events::ended);
        assertThat(events.events().get(events.events().size() - 1).name()).isEqualTo("succeeded");
        assertThat(events.events()).extracting(SseClient.Event::name).contains("progress");
        events.close();

        JsonNode after = json(get("/api/v1/search?k=5&q=" + encode(fusion), token));
        assertThat(after.path("embeddingVersion").asText()).isEqualTo(FULL);
        assertThat(after.path("hits").get(0).path("documentId").asText()).isEqualTo(expected);
        JsonNode airships = json(get("/api/v1/search?k=3&q=" + encode("airship mooring mast"), token));
        assertThat(airships.path("hits").get(0).path("documentId").asText()).isEqualTo(late);
        assertThat(jdbc.queryForObject("""
                select count(*) from chunks q join chunks f
                  on f.document_id = q.document_id and f.ordinal = q.ordinal and f.text = q.text
                where q.tenant_id = 'reindex-minilm' and q.embedding_version = ? and f.embedding_version = ?""",
                Integer.class, QUANTIZED, FULL))
                .isEqualTo(chunkCount("reindex-minilm", QUANTIZED)).isEqualTo(chunkCount("reindex-minilm", FULL));

        JsonNode listed = json(get("/api/v1/admin/embedding-versions", token));
        assertThat(listed.path("activeVersion").asText()).isEqualTo(FULL);
        assertThat(version(listed, FULL).path("coveredDocuments").asInt()).isEqualTo(total);
        assertThat(version(listed, QUANTIZED).path("coveredDocuments").asInt()).isEqualTo(total);

        // The previous version's vectors stayed: switching back is instant, and so is switching forth.
        assertThat(post("/api/v1/admin/embedding-versions/" + QUANTIZED + "/activate", token).statusCode()).isEqualTo(200);
        assertThat(json(get("/api/v1/search?q=fusion", token)).path("embeddingVersion").asText()).isEqualTo(QUANTIZED);
        assertProblem(delete("/api/v1/admin/embedding-versions/" + QUANTIZED, token), 409, "embedding-version-in-use");
        assertThat(post("/api/v1/admin/embedding-versions/" + FULL + "/activate", token).statusCode()).isEqualTo(200);
        assertThat(delete("/api/v1/admin/embedding-versions/" + QUANTIZED, token).statusCode()).isEqualTo(204);
        assertThat(chunkCount("reindex-minilm", QUANTIZED)).isZero();
        assertProblem(post("/api/v1/admin/embedding-versions/" + QUANTIZED + "/activate", token), 409,
                "embedding-version-not-covered");
    }

    @Test
    void a_document_ingested_after_the_switch_is_caught_up_into_the_active_version() {
        String token = TestTokens.forTenant("reindex-catch-up", "admin");
        String first = ingestText(token, "gliders.txt", "Gliders soar on thermals rising from sunlit fields.");
        awaitSucceeded(token, json(reindex(token, UUID.randomUUID().toString(), FULL)).path("jobId").asText());

        String later = ingestText(token, "kites.txt", "Kites need a steady wind and a long line to climb high.");
        // Ingest writes the configured version; the worker reindexes the newcomer into the active one.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode results = json(get("/api/v1/search?k=2&q=" + encode("kite wind line"), token));
            assertThat(results.path("embeddingVersion").asText()).isEqualTo(FULL);
            assertThat(results.path("hits").get(0).path("documentId").asText()).isEqualTo(later);
        });
        assertThat(first).isNotEqualTo(later);
    }

    @Test
    void versions_of_different_dimensions_coexist_each_with_its_own_index() {
        String token = TestTokens.forTenant("reindex-openai", "admin");
        String engines = ingestText(token, "engines.txt", "Jet engines compress air, burn kerosene and expel hot exhaust.");
        ingestText(token, "bread.txt", "Sourdough bread rises slowly thanks to wild yeast and lactic bacteria.");
        ingestText(token, "rocks.txt", "Granite is an igneous rock formed from slowly cooling magma.");

        awaitSucceeded(token, json(reindex(token, UUID.randomUUID().toString(), OPENAI_1536)).path("jobId").asText());

        JsonNode results = json(get("/api/v1/search?k=3&q=" + encode("jet engines burn kerosene"), token));
        assertThat(results.path("embeddingVersion").asText()).isEqualTo(OPENAI_1536);
        assertThat(results.path("hits").get(0).path("documentId").asText()).isEqualTo(engines);
        assertThat(results.path("hits").get(0).path("vectorRank").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForList("""
                        select distinct vector_dims(embedding) from chunks where tenant_id = 'reindex-openai'
                        order by 1""", Integer.class)).containsExactly(384, 1536);
        assertThat(OPENAI.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.model()).isEqualTo("text-embedding-3-small");
            assertThat(r.dimensions()).isEqualTo(1536);
        });
        List<String> indexes = jdbc.queryForList("""
                select i.indexdef from embedding_versions v join pg_indexes i on i.indexname = v.index_name
                where v.tag in (?, ?) order by v.dimensions""", String.class, QUANTIZED, OPENAI_1536);
        assertThat(indexes).hasSize(2);
        assertThat(indexes.get(0)).contains("vector(384)").contains(QUANTIZED);
        assertThat(indexes.get(1)).contains("vector(1536)").contains(OPENAI_1536);

        assertThat(post("/api/v1/admin/embedding-versions/" + QUANTIZED + "/activate", token).statusCode()).isEqualTo(200);
        assertThat(json(get("/api/v1/search?q=kerosene", token)).path("embeddingVersion").asText()).isEqualTo(QUANTIZED);
        String index = jdbc.queryForObject("select index_name from embedding_versions where tag = ?", String.class,
                OPENAI_1536);
        assertThat(delete("/api/v1/admin/embedding-versions/" + OPENAI_1536, token).statusCode()).isEqualTo(204);
        // No tenant has vectors of it any more: its index is gone with it.
        assertThat(jdbc.queryForObject("select count(*) from embedding_versions where tag = ?", Integer.class,
                OPENAI_1536)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from pg_indexes where indexname = ?", Integer.class, index))
                .isZero();
    }

    private Map<String, String> ingestSamples(String token) throws Exception {
        Map<String, String> documents = new LinkedHashMap<>();
        Map<String, String> jobs = new LinkedHashMap<>();
        for (String file : List.of("durable-jobs.txt", "hybrid-search.md", "retry-policy.html", "tenants.json",
                "vector-indexes.pdf", "data-governance.docx")) {
            byte[] bytes = Files.readAllBytes(SAMPLES.resolve(file));
            JsonNode accepted = json(upload(token, UUID.randomUUID().toString(),
                    new MultipartBody().file("file", file, "application/octet-stream", bytes)));
            documents.put(file, accepted.path("documentId").asText());
            jobs.put(file, accepted.path("jobId").asText());
        }
        jobs.values().forEach(job -> awaitSucceeded(token, job));
        return documents;
    }

    private String ingestText(String token, String name, String text) {
        JsonNode accepted = json(uploadText(token, name, text));
        awaitSucceeded(token, accepted.path("jobId").asText());
        return accepted.path("documentId").asText();
    }

    private void awaitSucceeded(String token, String jobId) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode job = json(get("/api/v1/jobs/" + jobId, token));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        });
    }

    HttpResponse<String> reindex(String token, String key, String target) {
        HttpRequest.Builder builder = request("/api/v1/admin/reindex", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"targetVersion\":\"" + target + "\"}"));
        if (key != null) builder.header("Idempotency-Key", key);
        return send(builder.build());
    }

    HttpResponse<String> post(String path, String token) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<String> delete(String path, String token) {
        return send(request(path, token).DELETE().build());
    }

    private int chunkCount(String tenant, String version) {
        return jdbc.queryForObject("select count(*) from chunks where tenant_id = ? and embedding_version = ?",
                Integer.class, tenant, version);
    }

    private static JsonNode version(JsonNode listed, String tag) {
        for (JsonNode v : listed.path("versions")) if (v.path("tag").asText().equals(tag)) return v;
        throw new AssertionError("no version " + tag + " in " + listed);
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }
}
