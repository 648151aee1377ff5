package dev.quarry.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.Grounding;
import dev.quarry.conversations.Message;
import dev.quarry.conversations.MessageRole;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.exports.ExportScope;
import dev.quarry.exports.PgExportScopes;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.quarry.testing.SampleFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's roles: a user sees their tenant's shared documents and their own private ones; a tenant admin sees
 * all of them. Everywhere a document is reachable (listing, one document, re-ingest, content replacement,
 * deletion, bulk re-ingest and deletion, search in every mode, RAG augment, chat grounding, exports, the
 * document's jobs) another user's private document answers exactly as a missing one: 404, never 403, and
 * nothing is written.
 */
class DocumentVisibilityIT extends ApiIntegrationTest {
    private static final String TENANT = "acme";
    private static final String TEXT = "Basalt columns cool into hexagonal pillars along the coast.";
    private final String alice = TestTokens.forSubject("alice", TENANT, List.of(), Map.of());
    private final String bob = TestTokens.forSubject("bob", TENANT, List.of(), Map.of());
    private final String admin = TestTokens.forSubject("carol", TENANT, List.of("tenant-admin"), Map.of());
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;
    @Autowired
    Grounding grounding;
    @Autowired
    PgExportScopes exportScopes;
    private UUID shared;
    private UUID alicesPrivate;
    private UUID bobsPrivate;

    @BeforeEach
    void documents() {
        SearchCorpus corpus = new SearchCorpus(jdbc, embeddings, version.tag());
        shared = corpus.add(SearchCorpus.Doc.of(TENANT, "shared"), TEXT);
        alicesPrivate = corpus.add(SearchCorpus.Doc.of(TENANT, "alice's private"), TEXT);
        bobsPrivate = corpus.add(SearchCorpus.Doc.of(TENANT, "bob's private"), TEXT);
        jdbc.update("update documents set uploaded_by = 'alice' where id in (?, ?)", shared, alicesPrivate);
        jdbc.update("update documents set uploaded_by = 'bob' where id = ?", bobsPrivate);
        jdbc.update("update documents set visibility = 'private' where id in (?, ?)", alicesPrivate, bobsPrivate);
    }

    @Test
    void an_upload_is_shared_unless_it_says_private_and_a_private_one_needs_a_sub() {
        JsonNode sharedUpload = json(upload(alice, "{\"title\": \"memo\"}"));
        JsonNode privateUpload = json(upload(alice, "{\"title\": \"diary\", \"visibility\": \"private\"}"));

        assertThat(json(get("/api/v1/documents/" + sharedUpload.path("documentId").asText(), bob))
                .path("visibility").asText()).isEqualTo("shared");
        String diary = "/api/v1/documents/" + privateUpload.path("documentId").asText();
        assertThat(json(get(diary, alice)).path("visibility").asText()).isEqualTo("private");
        assertProblem(get(diary, bob), 404, "not-found");
        assertThat(json(get(diary, admin)).path("visibility").asText()).isEqualTo("private");

        assertProblem(upload(alice, "{\"visibility\": \"hidden\"}"), 400, "invalid-metadata");
        String anonymous = TestTokens.forSubject("", TENANT, List.of(), Map.of());
        assertProblem(upload(anonymous, "{\"visibility\": \"private\"}"), 400, "invalid-metadata");
    }

    @Test
    void the_jobs_of_another_users_private_document_are_not_found_either() {
        String job = json(upload(alice, "{\"visibility\": \"private\"}")).path("jobId").asText();
        String shared = json(upload(alice, "{}")).path("jobId").asText();

        assertThat(jobs(bob)).containsExactly(shared);
        assertProblem(get("/api/v1/jobs/" + job, bob), 404, "not-found");
        assertProblem(get("/api/v1/jobs/" + job + "/events", bob), 404, "not-found");
        assertProblem(send(request("/api/v1/jobs/" + job + "/cancel", bob).POST(HttpRequest.BodyPublishers.noBody())
                .build()), 404, "not-found");
        assertThat(json(get("/api/v1/jobs/" + job, alice)).path("status").asText()).isEqualTo("QUEUED");
        assertThat(jobs(alice)).containsExactlyInAnyOrder(job, shared);
        assertThat(jobs(admin)).containsExactlyInAnyOrder(job, shared);
    }

    private List<String> jobs(String token) {
        return json(get("/api/v1/jobs?limit=100", token)).path("items").findValuesAsText("id");
    }

    @Test
    void a_user_lists_the_shared_documents_and_their_own_and_an_admin_lists_all() {
        assertThat(listed(bob)).containsExactlyInAnyOrder(ids(shared, bobsPrivate));
        assertThat(listed(alice)).containsExactlyInAnyOrder(ids(shared, alicesPrivate));
        assertThat(listed(admin)).containsExactlyInAnyOrder(ids(shared, alicesPrivate, bobsPrivate));
    }

    @Test
    void another_users_private_document_is_not_found_for_every_document_endpoint_and_nothing_is_written() {
        Map<String, Integer> before = rowCounts();
        String path = "/api/v1/documents/" + alicesPrivate;
        HttpResponse<String> missing = get("/api/v1/documents/" + UUID.randomUUID(), bob);
        HttpResponse<String> hidden = get(path, bob);
        assertProblem(missing, 404, "not-found");
        assertProblem(hidden, 404, "not-found");
        assertThat(json(hidden).path("title").asText()).isEqualTo(json(missing).path("title").asText());

        assertProblem(send(request(path, bob).header("Idempotency-Key", key()).DELETE().build()), 404, "not-found");
        assertProblem(send(request(path + "/reingest", bob).header("Idempotency-Key", key())
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 404, "not-found");
        MultipartBody replacement = new MultipartBody().file("file", "x.txt", "text/plain", utf8("replaced"));
        assertProblem(send(request(path + "/content", bob).header("Idempotency-Key", key())
                .header("Content-Type", replacement.contentType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(replacement.bytes())).build()), 404, "not-found");
        assertProblem(postJson("/api/v1/documents/delete", bob, "{\"documentIds\": [\"" + alicesPrivate + "\"]}"),
                404, "not-found");
        assertThat(rowCounts()).isEqualTo(before);

        // A bulk re-ingest matches nothing (its 202 summary is kept for replays, as any other) and queues nothing.
        HttpResponse<String> bulkReingest = postJson("/api/v1/documents/reingest", bob,
                "{\"documentIds\": [\"" + alicesPrivate + "\"]}");
        assertThat(json(bulkReingest).path("matched").asInt()).as(bulkReingest.body()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from jobs", Integer.class)).isZero();
        assertThat(json(get(path, alice)).path("title").asText()).isEqualTo("alice's private");
    }

    @Test
    void a_users_search_in_every_mode_finds_the_shared_documents_and_their_own() {
        for (String mode : new String[]{"hybrid", "keyword", "vector"}) {
            assertThat(searched(bob, mode, "")).as(mode).containsExactlyInAnyOrder(ids(shared, bobsPrivate));
            assertThat(searched(bob, mode, "&scope=mine")).as(mode).containsExactly(ids(bobsPrivate));
            assertThat(searched(admin, mode, "")).as(mode)
                    .containsExactlyInAnyOrder(ids(shared, alicesPrivate, bobsPrivate));
        }
    }

    @Test
    void augment_and_chat_grounding_cite_only_what_the_asker_may_see() {
        HttpResponse<String> augmented = postJson("/api/v1/rag/augment", bob, "{\"query\": \"basalt hexagonal pillars\"}");
        assertThat(augmented.statusCode()).as(augmented.body()).isEqualTo(200);
        assertThat(json(augmented).path("citations").findValuesAsText("documentId"))
                .containsExactlyInAnyOrder(ids(shared, bobsPrivate));
        assertThat(json(postJson("/api/v1/rag/augment", admin, "{\"query\": \"basalt hexagonal pillars\"}"))
                .path("citations").findValuesAsText("documentId"))
                .containsExactlyInAnyOrder(ids(shared, alicesPrivate, bobsPrivate));

        Instant now = Instant.now();
        Conversation bobsThread = new Conversation(UUID.randomUUID(), TENANT, "bob", "t", List.of(), null, null,
                false, false, null, now, now);
        Message question = new Message(UUID.randomUUID(), bobsThread.id(), MessageRole.USER,
                "basalt hexagonal pillars", "{}", null, now);
        assertThat(grounding.ground(bobsThread, question).citations()).extracting(c -> c.documentId().toString())
                .containsExactlyInAnyOrder(ids(shared, bobsPrivate));
    }

    @Test
    void a_users_export_holds_the_shared_documents_and_their_own() {
        HttpResponse<String> refused = postJson("/api/v1/exports", bob, "{\"format\": \"json\", \"scope\": "
                + "{\"documentIds\": [\"" + alicesPrivate + "\"]}}");
        assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499).isNotEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from exports", Integer.class)).isZero();

        // A client's visibleTo is replaced by Quarry's: bob cannot ask for alice's view.
        HttpResponse<String> accepted = postJson("/api/v1/exports", bob, "{\"format\": \"json\", \"scope\": "
                + "{\"all\": true, \"visibleTo\": \"alice\"}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        ExportScope stored = storedScope();
        assertThat(stored.visibleTo()).isEqualTo("bob");
        assertThat(exportScopes.count(TENANT, stored)).as("the documents the export job will write").isEqualTo(2);

        String bobs = "/api/v1/exports/" + json(accepted).path("exportId").asText();
        jdbc.update("delete from exports");
        HttpResponse<String> adminsExport = postJson("/api/v1/exports", admin,
                "{\"format\": \"json\", \"scope\": {\"all\": true}}");
        assertThat(adminsExport.statusCode()).isEqualTo(202);
        assertThat(exportScopes.count(TENANT, storedScope())).isEqualTo(3);
        // An export made for someone who sees more (or other) documents is not another user's to read.
        String admins = "/api/v1/exports/" + json(adminsExport).path("exportId").asText();
        assertProblem(get(admins, bob), 404, "not-found");
        assertProblem(get(admins + "/file", bob), 404, "not-found");
        assertThat(get(admins, admin).statusCode()).isEqualTo(200);
        assertThat(json(postJson("/api/v1/exports", bob, "{\"format\": \"json\", \"scope\": {\"all\": true}}"))
                .path("exportId").asText()).isNotBlank();
        String bobsNow = "/api/v1/exports/" + jdbc.queryForObject(
                "select id from exports where scope->>'visibleTo' = 'bob'", UUID.class);
        assertThat(get(bobsNow, bob).statusCode()).isEqualTo(200);
        assertThat(get(bobsNow, admin).statusCode()).isEqualTo(200);
        assertProblem(get(bobsNow, alice), 404, "not-found");
        assertProblem(get(bobsNow + "/file", alice), 404, "not-found");
        assertThat(bobs).isNotEqualTo(bobsNow);
    }

    private ExportScope storedScope() {
        String scope = jdbc.queryForObject("select scope::text from exports", String.class);
        try {
            return JSON.copy().findAndRegisterModules().readValue(scope, ExportScope.class);
        } catch (Exception e) {
            throw new IllegalStateException(scope, e);
        }
    }

    private List<String> listed(String token) {
        return json(get("/api/v1/documents?limit=100", token)).path("items").findValuesAsText("id");
    }

    private List<String> searched(String token, String mode, String extra) {
        JsonNode results = json(get("/api/v1/search?q=" + URLEncoder.encode("basalt pillars", StandardCharsets.UTF_8)
                + "&k=10&mode=" + mode + extra, token));
        assertThat(results.path("hits").isArray()).as(results.toString()).isTrue();
        return results.path("hits").findValuesAsText("documentId");
    }

    private HttpResponse<String> upload(String token, String metadata) {
        return upload(token, key(), new MultipartBody().file("file", "note.txt", "text/plain", utf8("a note"))
                .json("metadata", metadata));
    }

    private HttpResponse<String> postJson(String path, String token, String body) {
        return send(request(path, token).header("Idempotency-Key", key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private static String[] ids(UUID... ids) {
        return java.util.Arrays.stream(ids).map(UUID::toString).toArray(String[]::new);
    }
}
